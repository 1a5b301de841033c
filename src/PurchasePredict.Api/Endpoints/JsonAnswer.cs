using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace PurchasePredict.Api.Endpoints;

/// <summary>Writes a JSON answer straight to the response with <see cref="Utf8JsonWriter"/> (no reflection, native AOT).</summary>
public static class JsonAnswer
{
    public static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(response.BodyWriter)) write(json);
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
