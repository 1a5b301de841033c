namespace PurchasePredict.GcpSandbox.OAuth;

/// <summary>The token endpoint's answer (RFC 6749 section 5.1), and the metadata server's token answer.</summary>
public sealed record AccessTokenResponse(string AccessToken, long ExpiresIn, string TokenType);

/// <summary>An OAuth error (RFC 6749 section 5.2), as Google's endpoints answer with 400.</summary>
public sealed record OAuthError(string Error, string ErrorDescription);

/// <summary>What Google's tokeninfo endpoint says of an access token; the numbers are strings there too.</summary>
public sealed record TokenInfo(string Azp, string Aud, string Scope, string Exp, string ExpiresIn, string Email, string EmailVerified, string AccessType)
{
    public static TokenInfo Of(Grant grant, DateTimeOffset now) => new(
        grant.ClientId, grant.ClientId, string.Join(' ', grant.Scopes),
        grant.Expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ((long)(grant.Expires - now).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        grant.Email, "true", "online");
}
