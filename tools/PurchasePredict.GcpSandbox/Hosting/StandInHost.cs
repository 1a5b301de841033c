using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace PurchasePredict.GcpSandbox.Hosting;

/// <summary>
/// Runs one stand-in as a web server on 127.0.0.1 only, and prints <c>NAME ready on http://127.0.0.1:PORT</c>
/// on stdout once it accepts connections and has answered a first request: the readiness signal for
/// whoever started it (with port 0, the only way to learn the port). SIGTERM or Ctrl-C stop it.
/// </summary>
public static class StandInHost
{
    public static WebApplicationBuilder CreateBuilder(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            // A start that fails (a taken port) is reported by Program in one line, not as the host's stack trace.
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    /// <param name="warmUp">A request it answers before it says it is ready, so the first client does not wait for
    /// the JIT: Google.Apis.Auth gives the metadata server 500 ms to answer its detection ping.</param>
    public static async Task RunAsync(WebApplication app, string name, Func<HttpRequestMessage>? warmUp = null)
    {
        await app.StartAsync();
        var address = Address(app);
        if (warmUp is not null)
        {
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            using var request = warmUp();
            using var _ = await http.SendAsync(request);
        }
        Console.WriteLine($"{name} ready on {address}");
        await app.WaitForShutdownAsync();
    }

    /// <summary>Where a started app listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
}
