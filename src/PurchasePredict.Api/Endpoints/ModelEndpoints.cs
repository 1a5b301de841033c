using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PurchasePredict.Api.Loading;

namespace PurchasePredict.Api.Endpoints;

/// <summary>GET (and HEAD) /model: the served model's identity (<see cref="ModelIdentity"/>), 503 while none is loaded.</summary>
public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModel(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/model", [HttpMethods.Get, HttpMethods.Head], Model);
        return app;
    }

    public static Results<Ok<ModelIdentity>, ProblemHttpResult> Model(HttpContext context, [FromServices] ModelHolder models) =>
        models.Current is { } loaded ? TypedResults.Ok(loaded.Identity) : Problems.ModelNotLoaded(context);
}
