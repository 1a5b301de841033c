using Google.Apis.Auth.OAuth2.Responses;
using PurchasePredict.GcpSandbox.OAuth;

namespace PurchasePredict.GcpSandbox.Metadata;

/// <summary>
/// <c>metadata --key FILE --scopes LIST --port N</c>: a VM's metadata server (169.254.169.254), what
/// Google.Apis.Auth 1.78 asks it when <c>GCE_METADATA_HOST</c> points here: the detection ping (<c>GET /</c>),
/// the default service account's token and email, the universe domain; plus the account's scopes and
/// the project id. Like GCE's, it answers only requests carrying <c>Metadata-Flavor: Google</c> and none
/// that came through a proxy (<c>X-Forwarded-For</c>), and marks every answer <c>Metadata-Flavor: Google</c>.
/// </summary>
public static class MetadataServer
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string> { "key", "scopes", "port" };

    private const string Flavor = "Metadata-Flavor";
    private const string Text = "application/text";

    public static Task RunAsync(Options options)
    {
        var scopes = options.List("scopes").Select(GoogleScopes.Resolve).Distinct().ToList();
        if (scopes.Count == 0) throw new UsageException("--scopes is required: the VM's access scopes (e.g. cloud-platform, or storage-ro)");
        var account = new VmServiceAccount(options.Required("key"), scopes);
        var app = StandInHost.CreateBuilder(options.Port()).Build();
        app.MapMetadata(account);
        return StandInHost.RunAsync(app, "metadata", () => new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { Flavor, "Google" } } });
    }

    public static void MapMetadata(this WebApplication app, VmServiceAccount account)
    {
        app.Use(RequireFlavor);
        app.MapGet("/", () => Results.Text("computeMetadata/\n", Text));
        app.MapGet("/computeMetadata/v1/project/project-id", () => Results.Text(account.Key.ProjectId, Text));
        app.MapGet("/computeMetadata/v1/universe/universe-domain", () => Results.Text(account.Key.UniverseDomain, Text));
        // "default" or the account's own email, as on GCE.
        var serviceAccount = app.MapGroup("/computeMetadata/v1/instance/service-accounts/{name}")
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.Request.RouteValues["name"] as string is { } name && (name == "default" || name == account.Key.ClientEmail)
                    ? await next(context)
                    : Results.Text("Not Found\n", Text, statusCode: 404));
        serviceAccount.MapGet("/email", () => Results.Text(account.Key.ClientEmail, Text));
        serviceAccount.MapGet("/scopes", () => Results.Text(string.Join('\n', account.Scopes) + "\n", Text));
        serviceAccount.MapGet("/token", async (CancellationToken cancel) =>
        {
            try
            {
                return Results.Json(await account.TokenAsync(cancel), SandboxJson.Default.AccessTokenResponse);
            }
            catch (TokenResponseException e)
            {
                // The token endpoint refused the VM's key (deleted, or the endpoint is another one).
                return Results.Text($"the token endpoint refused {account.Key.ClientEmail}: {e.Error.Error} {e.Error.ErrorDescription}\n", Text, statusCode: 500);
            }
            catch (HttpRequestException e)
            {
                return Results.Text($"the token endpoint {account.Key.TokenUri} does not answer: {e.Message}\n", Text, statusCode: 503);
            }
        });
    }

    private static async Task RequireFlavor(HttpContext context, RequestDelegate next)
    {
        context.Response.Headers[Flavor] = "Google";
        if (context.Request.Headers.ContainsKey("X-Forwarded-For"))
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("Forbidden: request with X-Forwarded-For header\n");
        }
        else if (context.Request.Headers[Flavor] != "Google")
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("Forbidden: missing Metadata-Flavor: Google header\n");
        }
        else
        {
            await next(context);
        }
    }
}
