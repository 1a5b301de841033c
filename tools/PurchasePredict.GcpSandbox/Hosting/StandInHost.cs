using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace PurchasePredict.GcpSandbox.Hosting;

/// <summary>
/// Runs one stand-in as a web server on 127.0.0.1 only, and prints <c>NAME ready on http://127.0.0.1:PORT</c>
/// on stdout once it accepts connections: the readiness signal for whoever started it (with port 0, the
/// only way to learn the port). SIGTERM or Ctrl-C stop it.
/// </summary>
public static class StandInHost
{
    public static WebApplicationBuilder CreateBuilder(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    public static async Task RunAsync(WebApplication app, string name)
    {
        await app.StartAsync();
        Console.WriteLine($"{name} ready on {Address(app)}");
        await app.WaitForShutdownAsync();
    }

    /// <summary>Where a started app listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
}
