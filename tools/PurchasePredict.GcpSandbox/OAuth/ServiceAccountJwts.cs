using PurchasePredict.GcpSandbox.Accounts;

namespace PurchasePredict.GcpSandbox.OAuth;

/// <summary>Why a JWT was refused, as Google's token endpoint says it: an OAuth error code and a description.</summary>
public sealed record Refusal(string Error, string Description);

/// <summary>A check's result: the value, or the refusal.</summary>
public readonly record struct Outcome<T>(T? Value, Refusal? Refusal) where T : class
{
    public static Outcome<T> Ok(T value) => new(value, null);

    public static Outcome<T> Refused(string error, string description) => new(null, new Refusal(error, description));
}

/// <summary>What a valid assertion asks for: tokens of this account with these scopes.</summary>
public sealed record AssertedGrant(ServiceAccount Account, IReadOnlyList<string> Scopes);

/// <summary>
/// Checks JWTs signed with a service account's key: RS256, signed by a registered key of the account named
/// in <c>iss</c> (the key named by the header's <c>kid</c>), at most one hour long and current, for known
/// scopes. Anything else is refused, so a broken signing path gets nowhere. Two kinds:
/// <list type="bullet">
/// <item>an assertion sent to the token endpoint (RFC 7523; Google's "OAuth 2.0 for server to server
/// applications"), addressed to it (<c>aud</c>). Google.Apis.Auth 1.78 puts Google's own token URL in
/// <c>aud</c> whatever the key file's token_uri says (seen on the wire), so that audience is accepted as
/// Google accepts it, besides this endpoint's own URL (RFC 7523's choice);</item>
/// <item>a self-signed JWT used directly as an access token (Google's AIP-4111: <c>iss</c> = <c>sub</c>, a
/// <c>scope</c> claim). Google.Cloud.Storage.V1 sends these when it has a key file, never calling the
/// token endpoint; Google's APIs accept them, so the sandbox's token check does too.</item>
/// </list>
/// </summary>
public sealed class ServiceAccountJwts(AccountStore accounts, TimeProvider clock)
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The audiences Google's token endpoint accepts (the current and the legacy token URL).</summary>
    public static readonly IReadOnlyList<string> GoogleAudiences = ["https://oauth2.googleapis.com/token", "https://accounts.google.com/o/oauth2/token"];

    /// <param name="endpoint">The token endpoint's own URL.</param>
    public Outcome<AssertedGrant> CheckAssertion(string assertion, string endpoint)
    {
        if (SignedJwt.TryParse(assertion) is not { } jwt)
            return Outcome<AssertedGrant>.Refused("invalid_grant", "Invalid JWT: not a signed JWT (header.claims.signature, base64url JSON)");
        var signer = Signer(jwt);
        if (signer.Value is not { } account) return new(null, signer.Refusal);
        if (jwt.Claim("aud") is not { } audience || (audience != endpoint && !GoogleAudiences.Contains(audience)))
            return Outcome<AssertedGrant>.Refused("invalid_grant", $"Invalid JWT: Failed audience check. The right audience is {GoogleAudiences[0]}");
        if (!IsCurrent(jwt))
            return Outcome<AssertedGrant>.Refused("invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
        if (jwt.Claim("sub") is { } subject && subject != account.Email)
            return Outcome<AssertedGrant>.Refused("unauthorized_client", "Client is unauthorized to retrieve access tokens using this method: the sandbox has no domain-wide delegation");
        return Scoped(jwt, account);
    }

    /// <summary>A self-signed JWT access token: the grant it stands for, until its own <c>exp</c>.</summary>
    public Outcome<Grant> CheckAccessToken(string token)
    {
        if (SignedJwt.TryParse(token) is not { } jwt) return Outcome<Grant>.Refused("invalid_token", "Invalid Value");
        var signer = Signer(jwt);
        if (signer.Value is not { } account) return new(null, signer.Refusal);
        if (jwt.Claim("sub") != account.Email || !IsCurrent(jwt)) return Outcome<Grant>.Refused("invalid_token", "Invalid Value");
        var scoped = Scoped(jwt, account);
        return scoped.Value is { } grant
            ? Outcome<Grant>.Ok(new Grant(account.Email, account.ClientId, grant.Scopes, jwt.Time("exp")!.Value))
            : new(null, scoped.Refusal);
    }

    private static Outcome<AssertedGrant> Scoped(SignedJwt jwt, ServiceAccount account)
    {
        var scopes = (jwt.Claim("scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length == 0) return Outcome<AssertedGrant>.Refused("invalid_scope", "Empty or missing scope not allowed.");
        if (scopes.FirstOrDefault(s => !GoogleScopes.IsKnown(s)) is { } unknown)
            return Outcome<AssertedGrant>.Refused("invalid_scope", $"Invalid OAuth scope or ID token audience provided: {unknown}");
        return Outcome<AssertedGrant>.Ok(new AssertedGrant(account, scopes));
    }

    /// <summary>The account whose registered key signed the JWT (the key named by <c>kid</c>, or any of the account's).</summary>
    public Outcome<ServiceAccount> Signer(SignedJwt jwt)
    {
        if (jwt.Algorithm != "RS256")
            return Outcome<ServiceAccount>.Refused("invalid_grant", $"Invalid JWT: alg must be RS256, not {jwt.Algorithm ?? "missing"}");
        if (jwt.Claim("iss") is not { } email || accounts.Find(email) is not { } account)
            return Outcome<ServiceAccount>.Refused("invalid_grant", "Invalid grant: account not found");
        var keys = jwt.KeyId is { } id ? account.Keys.Where(k => k.PrivateKeyId == id) : account.Keys;
        foreach (var key in keys)
        {
            using var rsa = key.ToRsa();
            if (jwt.IsSignedBy(rsa)) return Outcome<ServiceAccount>.Ok(account);
        }
        return Outcome<ServiceAccount>.Refused("invalid_grant", "Invalid JWT Signature.");
    }

    /// <summary>Issued no later than now, not expired, and valid for at most an hour (with leeway for clocks).</summary>
    public bool IsCurrent(SignedJwt jwt)
    {
        var now = clock.GetUtcNow();
        return jwt.Time("iat") is { } issued && jwt.Time("exp") is { } expires
               && issued <= now + ClockSkew && expires > now - ClockSkew && expires > issued && expires - issued <= MaxLifetime;
    }
}
