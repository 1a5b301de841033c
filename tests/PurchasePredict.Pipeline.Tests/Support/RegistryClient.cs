using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PurchasePredict.Pipeline.Tests;

// The sandbox registry's HTTP API (Docker Registry v2), to check what Push really left there. The registry
// is private: a request it answers 401 is sent again with a registry token, which its login service gives
// for `oauth2accesstoken` and a Google access token (docker's own token flow), or not at all when the
// client has no Google token (then the 401 is the answer).
public sealed partial class RegistryClient(string address, Func<Task<string>>? googleToken = null) : IDisposable
{
    // What `docker push` of a single-platform image uploads, and what Push's skopeo copies (an OCI layout).
    public const string ManifestV2 = "application/vnd.docker.distribution.manifest.v2+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://{address}/"), Timeout = TimeSpan.FromSeconds(10) };

    // The digest the registry serves for name:tag, or null when there is no such tag.
    public async Task<string?> DigestOf(string name, string tag)
    {
        using var response = await SendAsync(() => ManifestRequest(name, tag));
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    // The manifest's bytes as the registry stores them (their sha256 is the digest).
    public async Task<byte[]> Manifest(string name, string reference)
    {
        using var response = await SendAsync(() => ManifestRequest(name, reference));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    // The image config (labels, created, rootfs) of name:reference.
    public async Task<JsonNode> Config(string name, string reference)
    {
        var digest = (string)JsonNode.Parse(await Manifest(name, reference))!["config"]!["digest"]!;
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v2/{name}/blobs/{digest}"));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    // Points name:tag at a manifest whose blobs the registry already has.
    public async Task PutManifest(string name, string tag, string mediaType, byte[] manifest)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, $"v2/{name}/manifests/{tag}")
        {
            Content = new ByteArrayContent(manifest) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } },
        });
        response.EnsureSuccessStatusCode();
    }

    // 404 (NAME_UNKNOWN) when nothing was ever pushed under name; 401 without credentials.
    public async Task<HttpStatusCode> TagsListStatus(string name)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v2/{name}/tags/list"));
        return response.StatusCode;
    }

    public async Task Delete(string name, string digest)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, $"v2/{name}/manifests/{digest}"));
        if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.NotFound))
        {
            response.EnsureSuccessStatusCode();
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request)
    {
        using var first = request();
        var response = await _http.SendAsync(first);
        if (response.StatusCode != HttpStatusCode.Unauthorized || googleToken is null || response.Headers.WwwAuthenticate.FirstOrDefault() is not { Scheme: "Bearer" } challenge)
        {
            return response;
        }
        response.Dispose();
        using var again = request();
        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await RegistryTokenAsync(challenge.Parameter!));
        return await _http.SendAsync(again);
    }

    // realm="...",service="...",scope="..." -> GET realm?service=...&scope=... as oauth2accesstoken.
    private async Task<string> RegistryTokenAsync(string challenge)
    {
        var parameters = ChallengeParameter().Matches(challenge).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var query = string.Join("&", parameters.Where(p => p.Key != "realm").Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        using var ask = new HttpRequestMessage(HttpMethod.Get, parameters["realm"] + "?" + query);
        ask.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("oauth2accesstoken:" + await googleToken!())));
        using var answer = await _http.SendAsync(ask);
        answer.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["token"]!;
    }

    private static HttpRequestMessage ManifestRequest(string name, string reference)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{name}/manifests/{reference}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ManifestV2));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciManifest));
        return request;
    }

    [GeneratedRegex("(\\w+)=\"([^\"]*)\"")]
    private static partial Regex ChallengeParameter();

    public void Dispose() => _http.Dispose();
}
