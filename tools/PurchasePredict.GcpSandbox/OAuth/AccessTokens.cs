using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace PurchasePredict.GcpSandbox.OAuth;

/// <summary>Who an access token was issued to, for what, and until when.</summary>
public sealed record Grant(string Email, string ClientId, IReadOnlyList<string> Scopes, DateTimeOffset Expires);

/// <summary>
/// The access tokens the token endpoint issues. Opaque to clients, they carry their grant and an
/// HMAC-SHA256 under a secret kept in <c>STATE/oauth/token-secret</c>, so the endpoint checks them without
/// keeping any, and a restarted endpoint still accepts the tokens VMs cached (as Google's would).
/// Like Google's, they start with <c>ya29.</c>, which tests look for in output that must hold none.
/// </summary>
public sealed class AccessTokens(byte[] secret, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private const string Prefix = "ya29.sandbox.";

    public static AccessTokens Open(string stateDirectory, TimeProvider clock) =>
        new(Secret(Path.Combine(stateDirectory, "oauth", "token-secret")), clock);

    public (string Token, Grant Grant) Issue(string email, string clientId, IReadOnlyList<string> scopes)
    {
        var grant = new Grant(email, clientId, scopes, clock.GetUtcNow() + Lifetime);
        var payload = JsonSerializer.SerializeToUtf8Bytes(grant, SandboxJson.Default.Grant);
        return (Prefix + Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, payload)), grant);
    }

    /// <summary>The grant of a token issued here that has not expired; null for anything else.</summary>
    public Grant? Find(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var parts = token[Prefix.Length..].Split('.');
        if (parts.Length != 2 || !Base64Url.IsValid(parts[0]) || !Base64Url.IsValid(parts[1])) return null;
        var payload = Base64Url.DecodeFromChars(parts[0]);
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(secret, payload), Base64Url.DecodeFromChars(parts[1]))) return null;
        var grant = JsonSerializer.Deserialize(payload, SandboxJson.Default.Grant);
        return grant is not null && grant.Expires > clock.GetUtcNow() ? grant : null;
    }

    // 32 random bytes, made by the first endpoint that starts on this state directory.
    private static byte[] Secret(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new FileStream(path, options);
            file.Write(RandomNumberGenerator.GetBytes(32));
        }
        catch (IOException) when (File.Exists(path))
        {
        }
        return File.ReadAllBytes(path) is { Length: 32 } secret
            ? secret
            : throw new UsageException($"{path} is not a 32-byte token secret; delete it to make a new one (issued tokens then stop working)");
    }
}
