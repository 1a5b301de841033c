using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using PurchasePredict.Api.Endpoints;
using PurchasePredict.Api.Frames;

namespace PurchasePredict.Api.Oip;

/// <summary>
/// An Open Inference Protocol error: <c>{"error": "..."}</c> (the protocol's error response) with the status of the
/// problem: 400 for a bad request, 404 for a model or version not served here, 413 and 415 as on /predict, 503 (with
/// <c>Retry-After</c>) while the model loads.
/// </summary>
public sealed class OipError(int status, string message) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int StatusCode => status;

    int? IStatusCodeHttpResult.StatusCode => status;

    public string ContentType => "application/json";

    public string Message => message;

    public static OipError From(FrameException e, HttpContext context)
    {
        if (e.Status == StatusCodes.Status503ServiceUnavailable)
        {
            Problems.AskToRetry(context);
            return new OipError(e.Status, e.Message);
        }
        return new OipError(e.Status, $"{e.Title}: {e.Message}");
    }

    public static OipError NotFound(string message) => new(StatusCodes.Status404NotFound, message);

    public Task ExecuteAsync(HttpContext httpContext) => JsonAnswer.WriteAsync(httpContext, status, json =>
    {
        json.WriteStartObject();
        json.WriteString("error"u8, message);
        json.WriteEndObject();
    });
}
