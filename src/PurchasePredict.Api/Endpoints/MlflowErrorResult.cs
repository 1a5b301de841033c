using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using PurchasePredict.Api.Frames;

namespace PurchasePredict.Api.Endpoints;

/// <summary>
/// An /invocations error the way MLflow's scoring server writes one, so MLflow clients can read it:
/// <c>{"error_code": "BAD_REQUEST", "message": "..."}</c> (<c>MlflowException.serialize_as_json</c> in mlflow/exceptions.py).
/// MLflow calls every bad input BAD_REQUEST (400); ours keep their own status (413, 415), still with BAD_REQUEST,
/// and a 503 while the model loads is TEMPORARILY_UNAVAILABLE, which MLflow maps to 503 too.
/// </summary>
public sealed class MlflowErrorResult(int status, string errorCode, string message) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int StatusCode => status;

    int? IStatusCodeHttpResult.StatusCode => status;

    public string ContentType => "application/json";

    public string ErrorCode => errorCode;

    public string Message => message;

    public static MlflowErrorResult From(FrameException e, HttpContext context)
    {
        if (e.Status == StatusCodes.Status503ServiceUnavailable)
        {
            Problems.AskToRetry(context);
            return new MlflowErrorResult(e.Status, "TEMPORARILY_UNAVAILABLE", e.Message);
        }
        return new MlflowErrorResult(e.Status, "BAD_REQUEST", $"{e.Title}: {e.Message}");
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("error_code"u8, errorCode);
            json.WriteString("message"u8, message);
            json.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
