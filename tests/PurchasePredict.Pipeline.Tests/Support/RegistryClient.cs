using System.Net;
using System.Net.Http.Headers;

namespace PurchasePredict.Pipeline.Tests;

// The sandbox registry's HTTP API (Docker Registry v2), to check what Push really left there.
public sealed class RegistryClient(string address) : IDisposable
{
    // What `docker push` of a single-platform image uploads.
    public const string ManifestV2 = "application/vnd.docker.distribution.manifest.v2+json";

    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://{address}/"), Timeout = TimeSpan.FromSeconds(10) };

    // The digest the registry serves for name:tag, or null when there is no such tag.
    public async Task<string?> DigestOf(string name, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{name}/manifests/{tag}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ManifestV2));
        using var response = await _http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    // 404 (NAME_UNKNOWN) when nothing was ever pushed under name.
    public async Task<HttpStatusCode> TagsListStatus(string name)
    {
        using var response = await _http.GetAsync($"v2/{name}/tags/list");
        return response.StatusCode;
    }

    public async Task Delete(string name, string digest)
    {
        using var response = await _http.DeleteAsync($"v2/{name}/manifests/{digest}");
        if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.NotFound))
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public void Dispose() => _http.Dispose();
}
