using PurchasePredict.GcpSandbox.Accounts;

namespace PurchasePredict.GcpSandbox.OAuth;

/// <summary>
/// <c>oauth --state DIR --port N</c>: the sandbox's oauth2.googleapis.com. <c>POST /token</c> exchanges a
/// service account's signed JWT for an access token (the key file's <c>token_uri</c>); <c>POST /tokeninfo</c>
/// tells the sandbox's other services whom a bearer token stands for and with which scopes: a token issued
/// here, or a self-signed JWT of a registered key (which Google's own tokeninfo does not take, but Google's
/// APIs do: see <see cref="ServiceAccountJwts"/>).
/// </summary>
public static class OAuthServer
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string> { "state", "port" };

    public const string JwtBearerGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    public static Task RunAsync(Options options)
    {
        var builder = StandInHost.CreateBuilder(options.Port());
        var state = options.Required("state");
        builder.Services.AddSingleton(new AccountStore(state));
        builder.Services.AddSingleton(AccessTokens.Open(state, TimeProvider.System));
        var app = builder.Build();
        app.MapOAuth(TimeProvider.System);
        return StandInHost.RunAsync(app, "oauth");
    }

    public static void MapOAuth(this IEndpointRouteBuilder app, TimeProvider clock)
    {
        var accounts = app.ServiceProvider.GetRequiredService<AccountStore>();
        var jwts = new ServiceAccountJwts(accounts, clock);
        var tokens = app.ServiceProvider.GetRequiredService<AccessTokens>();
        app.MapPost("/token", (HttpRequest request) => TokenAsync(request, jwts, tokens)).DisableAntiforgery();
        app.MapPost("/tokeninfo", (HttpRequest request) => TokenInfoAsync(request, jwts, tokens, clock)).DisableAntiforgery();
    }

    private static async Task<IResult> TokenAsync(HttpRequest request, ServiceAccountJwts jwts, AccessTokens tokens)
    {
        if (!request.HasFormContentType) return Error("invalid_request", "Send application/x-www-form-urlencoded grant_type and assertion.");
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != JwtBearerGrantType) return Error("unsupported_grant_type", $"Invalid grant_type: {form["grant_type"]}");
        var checkedGrant = jwts.CheckAssertion(form["assertion"].ToString(), $"{request.Scheme}://{request.Host}{request.Path}");
        if (checkedGrant.Value is not { } asserted) return Error(checkedGrant.Refusal!);
        var (token, grant) = tokens.Issue(asserted.Account.Email, asserted.Account.ClientId, asserted.Scopes);
        return TypedResults.Json(new AccessTokenResponse(token, (long)AccessTokens.Lifetime.TotalSeconds - 1, "Bearer"), SandboxJson.Default.AccessTokenResponse);
    }

    private static async Task<IResult> TokenInfoAsync(HttpRequest request, ServiceAccountJwts jwts, AccessTokens tokens, TimeProvider clock)
    {
        var token = request.HasFormContentType ? (await request.ReadFormAsync())["access_token"].ToString() : "";
        return (tokens.Find(token) ?? jwts.CheckAccessToken(token).Value) is { } grant
            ? TypedResults.Json(TokenInfo.Of(grant, clock.GetUtcNow()), SandboxJson.Default.TokenInfo)
            : Error("invalid_token", "Invalid Value");
    }

    private static IResult Error(string error, string description) => Error(new Refusal(error, description));

    private static IResult Error(Refusal refusal) =>
        TypedResults.Json(new OAuthError(refusal.Error, refusal.Description), SandboxJson.Default.OAuthError, statusCode: 400);
}
