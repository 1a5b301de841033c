using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PurchasePredict.GcpSandbox.OAuth;

/// <summary>A compact JWS (<c>header.claims.signature</c>), parsed but not yet trusted.</summary>
public sealed class SignedJwt
{
    private readonly byte[] _signedPart;
    private readonly byte[] _signature;

    private SignedJwt(JsonObject header, JsonObject claims, byte[] signedPart, byte[] signature)
    {
        Header = header;
        Claims = claims;
        _signedPart = signedPart;
        _signature = signature;
    }

    public JsonObject Header { get; }

    public JsonObject Claims { get; }

    public string? Algorithm => Text(Header, "alg");

    public string? KeyId => Text(Header, "kid");

    /// <summary>Null when the text is not three base64url parts of which the first two are JSON objects.</summary>
    public static SignedJwt? TryParse(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            return JsonNode.Parse(Base64Url.DecodeFromChars(parts[0])) is JsonObject header
                   && JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) is JsonObject claims
                ? new SignedJwt(header, claims, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]))
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Signs claims with RS256, as Google's libraries and Docker's token servers do.</summary>
    public static string Sign(JsonObject header, JsonObject claims, RSA key)
    {
        header["alg"] = "RS256";
        header["typ"] = "JWT";
        var signedPart = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString()))
                         + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signedPart), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signedPart + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>True when this is RS256 and the signature is the key's over the first two parts.</summary>
    public bool IsSignedBy(RSA key) =>
        Algorithm == "RS256" && key.VerifyData(_signedPart, _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public string? Claim(string name) => Text(Claims, name);

    /// <summary>A numeric date claim (seconds since 1970), or null when absent or not a number.</summary>
    public DateTimeOffset? Time(string name) =>
        Claims[name] is JsonValue value && value.TryGetValue<long>(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
