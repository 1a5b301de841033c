namespace PurchasePredict.Workers.Tests.Infrastructure;

/// <summary>A request a client loop sends again and again.</summary>
internal sealed record HttpRequestSpec(string Method, string Path, byte[]? Body = null, string ContentType = "application/json")
{
    public static HttpRequestSpec Get(string path) => new("GET", path);
}
