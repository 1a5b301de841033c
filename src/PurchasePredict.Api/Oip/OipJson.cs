using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace PurchasePredict.Api.Oip;

/// <summary>A 200 JSON answer written by a function with <see cref="Utf8JsonWriter"/> (no reflection, native AOT).</summary>
public sealed class OipJson(Action<Utf8JsonWriter> write) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(response.BodyWriter)) write(json);
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
