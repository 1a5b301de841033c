#nullable enable
using System.Linq;
using System.Net.Http;

// Requests to the sandbox's own services on 127.0.0.1: the checks that say whether one serves, and how
// it is configured (a registry that asks for a token, a bucket that refuses anonymous reads). Reads are
// read-only and local, so a dry run asks too. Null when nothing answers.
public static class LocalHttp
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public sealed record Answer(int Status, string Body, string? Authenticate, string? MetadataFlavor);

    public static Answer? Get(string url, params (string Name, string Value)[] headers) => Send(new HttpRequestMessage(HttpMethod.Get, url), headers);

    public static Answer? Send(HttpRequestMessage request, params (string Name, string Value)[] headers)
    {
        using var _ = request;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        try
        {
            using var response = Http.SendAsync(request).GetAwaiter().GetResult();
            return new Answer((int)response.StatusCode, response.Content.ReadAsStringAsync().GetAwaiter().GetResult(),
                response.Headers.WwwAuthenticate.FirstOrDefault()?.ToString(),
                response.Headers.TryGetValues("Metadata-Flavor", out var flavor) ? flavor.FirstOrDefault() : null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
