using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PurchasePredict.Api.Loading;

namespace PurchasePredict.Api.Endpoints;

/// <summary>
/// GET (and HEAD) / (the tutorial's check), /health/live (the process answers), /health/ready (a model is
/// loaded), and MLflow's scoring-server checks /ping, /health and /version (mlflow/pyfunc/scoring_server).
/// </summary>
public static class HealthEndpoints
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>This build's version (with the commit, when built from git), answered by GET /version.</summary>
    private static readonly string ServiceVersion =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/", GetOrHead, Root);
        app.MapMethods("/health/live", GetOrHead, Live);
        app.MapMethods("/health/ready", GetOrHead, Ready);
        app.MapMethods("/ping", GetOrHead, Ping);
        app.MapMethods("/health", GetOrHead, Ping);
        app.MapMethods("/version", GetOrHead, Version);
        return app;
    }

    public static ContentHttpResult Root() => TypedResults.Text("OK");

    public static ContentHttpResult Live() => TypedResults.Text("Healthy");

    public static Results<ContentHttpResult, ProblemHttpResult> Ready(HttpContext context, [FromServices] ModelHolder models) =>
        models.Current is null ? Problems.ModelNotLoaded(context) : TypedResults.Text("Ready");

    /// <summary>MLflow answers "\n" as application/json once the model is loaded; we answer 503 with Retry-After before.</summary>
    public static Results<ContentHttpResult, ProblemHttpResult> Ping(HttpContext context, [FromServices] ModelHolder models) =>
        models.Current is null ? Problems.ModelNotLoaded(context) : TypedResults.Text("\n", "application/json");

    /// <summary>MLflow answers its version as bare text with the JSON content type; we answer ours the same way.</summary>
    public static ContentHttpResult Version() => TypedResults.Text(ServiceVersion, "application/json");
}
