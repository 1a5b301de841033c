using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using PurchasePredict.Api.Frames;

namespace PurchasePredict.Api.Endpoints;

/// <summary>RFC 7807 answers for everything a client can get wrong.</summary>
public static class Problems
{
    /// <summary>Seconds a client is asked to wait (<c>Retry-After</c>) while the model loads.</summary>
    public const int RetryAfterSeconds = 1;

    public static ProblemHttpResult From(FrameException e, HttpContext context)
    {
        if (e.Status == StatusCodes.Status503ServiceUnavailable) AskToRetry(context);
        Dictionary<string, object?>? extensions = null;
        if (e.Column is not null || e.Row is not null)
        {
            extensions = [];
            if (e.Column is not null) extensions["column"] = e.Column;
            if (e.Row is not null) extensions["row"] = e.Row;
        }
        return TypedResults.Problem(detail: e.Message, statusCode: e.Status, title: e.Title, extensions: extensions);
    }

    /// <summary>A 503 while the model loads, with <c>Retry-After</c>.</summary>
    public static ProblemHttpResult ModelNotLoaded(HttpContext context) => From(ModelLoading(), context);

    public static FrameException ModelLoading() =>
        new(StatusCodes.Status503ServiceUnavailable, "Model not loaded", "the model is still loading; see /health/ready");

    public static void AskToRetry(HttpContext context) =>
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static ProblemHttpResult BadQuery(string parameter, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid query parameter",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
