using System.Net;
using System.Net.Http.Json;
using PurchasePredict.GcpSandbox.OAuth;

namespace PurchasePredict.GcpSandbox.Registry;

/// <summary>Asks the sandbox's tokeninfo whom a Google access token stands for; null when it does not vouch for it.</summary>
public sealed class TokenCheck(HttpClient http, Uri tokenInfo)
{
    public async Task<TokenInfo?> CheckAsync(string token, CancellationToken cancel)
    {
        using var response = await http.PostAsync(tokenInfo, new FormUrlEncodedContent([KeyValuePair.Create("access_token", token)]), cancel);
        if (response.StatusCode == HttpStatusCode.BadRequest) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(SandboxJson.Default.TokenInfo, cancel);
    }
}
