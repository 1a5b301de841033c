using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PurchasePredict.Api.Loading;

namespace PurchasePredict.Api.Endpoints;

/// <summary>
/// GET / (the tutorial's check), /health/live (the process answers), /health/ready (a model is
/// loaded) and MLflow's GET /ping.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Root);
        app.MapGet("/health/live", Live);
        app.MapGet("/health/ready", Ready);
        app.MapGet("/ping", Ping);
        return app;
    }

    public static ContentHttpResult Root() => TypedResults.Text("OK");

    public static ContentHttpResult Live() => TypedResults.Text("Healthy");

    public static Results<ContentHttpResult, ProblemHttpResult> Ready([FromServices] ModelHolder models) =>
        models.Current is null ? Problems.ModelNotLoaded() : TypedResults.Text("Ready");

    public static Results<ContentHttpResult, ProblemHttpResult> Ping([FromServices] ModelHolder models) =>
        models.Current is null ? Problems.ModelNotLoaded() : TypedResults.Text("\n");
}
