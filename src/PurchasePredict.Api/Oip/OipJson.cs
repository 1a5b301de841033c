using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PurchasePredict.Api.Endpoints;

namespace PurchasePredict.Api.Oip;

/// <summary>A 200 JSON answer written by a function with <see cref="Utf8JsonWriter"/> (no reflection, native AOT).</summary>
public sealed class OipJson(Action<Utf8JsonWriter> write) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => JsonAnswer.WriteAsync(httpContext, StatusCodes.Status200OK, write);
}
