using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using PurchasePredict.Api.Frames;

namespace PurchasePredict.Api.Endpoints;

/// <summary>RFC 7807 answers for everything a client can get wrong.</summary>
public static class Problems
{
    public static ProblemHttpResult From(FrameException e)
    {
        Dictionary<string, object?>? extensions = null;
        if (e.Column is not null || e.Row is not null)
        {
            extensions = [];
            if (e.Column is not null) extensions["column"] = e.Column;
            if (e.Row is not null) extensions["row"] = e.Row;
        }
        return TypedResults.Problem(detail: e.Message, statusCode: e.Status, title: e.Title, extensions: extensions);
    }

    public static ProblemHttpResult UnsupportedMediaType(string? contentType) =>
        TypedResults.Problem(
            detail: $"send the frame as JSON with Content-Type: application/json (got {(string.IsNullOrEmpty(contentType) ? "no Content-Type" : $"'{contentType}'")})",
            statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");

    public static ProblemHttpResult ModelNotLoaded() =>
        TypedResults.Problem(detail: "the model is still loading; see /health/ready",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Model not loaded");

    public static ProblemHttpResult BadQuery(string parameter, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid query parameter",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
