using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PurchasePredict.GcpSandbox.OAuth;

namespace PurchasePredict.GcpSandbox.Registry;

/// <summary>
/// <c>registry-auth --state DIR --tokeninfo URL --service NAME --readers EMAILS --writers EMAILS --port N</c>:
/// Artifact Registry's login for Debian's docker-registry (distribution 2.8), through distribution's own
/// token authentication (<c>auth: token</c>): docker asks <c>GET /token</c> with Basic credentials, user
/// <c>oauth2accesstoken</c> and a Google access token as password (what <c>docker login -u oauth2accesstoken
/// --password-stdin</c> stores); the token is checked at the sandbox's tokeninfo, and the answer is a
/// registry token signed by <see cref="TokenSigner"/> granting what <see cref="RegistryAccess"/> allows.
/// No credentials, another user name or a token tokeninfo refuses: 401, so anonymous pulls and pushes fail.
/// </summary>
public static class RegistryAuthServer
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string> { "state", "tokeninfo", "service", "readers", "writers", "port" };

    /// <summary>The <c>iss</c> of every registry token; distribution's <c>auth.token.issuer</c> must say the same.</summary>
    public const string Issuer = "gcp-sandbox";

    public const string UserName = "oauth2accesstoken";

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public static Task RunAsync(Options options)
    {
        var readers = options.List("readers");
        var writers = options.List("writers");
        if (readers.Count + writers.Count == 0) throw new UsageException("--readers or --writers is required: nobody could use the registry");
        var app = StandInHost.CreateBuilder(options.Port()).Build();
        var signer = TokenSigner.Open(options.Required("state"));
        app.MapRegistryAuth(new TokenCheck(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, options.Url("tokeninfo")),
            new RegistryAccess(readers, writers), signer, options.Required("service"), TimeProvider.System);
        return StandInHost.RunAsync(app, "registry-auth");
    }

    public static void MapRegistryAuth(this IEndpointRouteBuilder app, TokenCheck check, RegistryAccess access, TokenSigner signer, string service, TimeProvider clock) =>
        app.MapGet("/token", async (HttpRequest request, CancellationToken cancel) =>
        {
            if (request.Query["service"] != service) return Error(400, "DENIED", $"this realm issues tokens for service {service}, not {request.Query["service"]}");
            if (BasicCredentials(request) is not { } credentials)
                return Error(401, "UNAUTHORIZED", $"authentication required: docker login -u {UserName} --password-stdin with a Google access token");
            var (user, password) = credentials;
            if (user != UserName) return Error(401, "UNAUTHORIZED", $"unknown user '{user}': log in as {UserName} with a Google access token");
            TokenInfo? info;
            try
            {
                info = await check.CheckAsync(password, cancel);
            }
            catch (HttpRequestException e)
            {
                return Error(503, "UNAVAILABLE", $"the token check does not answer: {e.Message}");
            }
            if (info is null) return Error(401, "UNAUTHORIZED", "the Google access token is invalid or expired: get a new one and log in again");
            var now = clock.GetUtcNow();
            var granted = access.Grant(info.Email, info.Scope.Split(' '), request.Query["scope"].OfType<string>());
            var token = signer.Sign(new JsonObject
            {
                ["iss"] = Issuer,
                ["sub"] = info.Email,
                ["aud"] = service,
                ["iat"] = now.ToUnixTimeSeconds(),
                ["nbf"] = now.ToUnixTimeSeconds(),
                ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["access"] = new JsonArray([.. granted.Select(g => new JsonObject
                {
                    ["type"] = g.Type, ["name"] = g.Name, ["actions"] = new JsonArray([.. g.Actions.Select(a => JsonValue.Create(a))]),
                })]),
            });
            // RFC 3339 in UTC with Z: docker parses issued_at with Go's time.RFC3339 (an escaped "+00:00" fails it).
            var issued = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            return Results.Json(new RegistryToken(token, token, (int)Lifetime.TotalSeconds, issued), SandboxJson.Default.RegistryToken);
        });

    private static (string User, string Password)? BasicCredentials(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) || header.Scheme != "Basic" || header.Parameter is null) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = text.IndexOf(':');
            return colon > 0 ? (text[..colon], text[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new RegistryErrors([new RegistryError(code, message)]), SandboxJson.Default.RegistryErrors, statusCode: status);
}

/// <summary>Docker's token answer (token authentication specification); <c>access_token</c> repeats <c>token</c> for OAuth clients.</summary>
public sealed record RegistryToken(string Token, string AccessToken, int ExpiresIn, string IssuedAt);

/// <summary>A registry error body: <c>{"errors":[{"code","message"}]}</c>.</summary>
public sealed record RegistryErrors(IReadOnlyList<RegistryError> Errors);

public sealed record RegistryError(string Code, string Message);
