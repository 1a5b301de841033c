using System.Net;
using System.Text.Json.Nodes;

namespace PurchasePredict.GcpSandbox.Tests;

/// <summary>Asks the token endpoint's tokeninfo about a token, as the sandbox's other services do.</summary>
internal static class TokenInfoClient
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The answer's JSON when the token is valid; null when tokeninfo says 400 invalid_token.</summary>
    public static async Task<JsonObject?> AskAsync(Uri tokenInfo, string token)
    {
        using var response = await Http.PostAsync(tokenInfo, new FormUrlEncodedContent([KeyValuePair.Create("access_token", token)]));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            Assert.That((string?)body["error"], Is.EqualTo("invalid_token"));
            return null;
        }
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return body;
    }
}
