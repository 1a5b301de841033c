using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PurchasePredict.Api.Loading;

namespace PurchasePredict.Api.Tests.Support;

/// <summary>The real app from <see cref="ApiApp.Build"/>, listening on 127.0.0.1 on a free port, in this process.</summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public ModelHolder Models => _app.Services.GetRequiredService<ModelHolder>();

    /// <summary>
    /// Starts the app with settings given as --KEY=value arguments and waits until the model is loaded.
    /// <paramref name="logs"/> receives its log lines (none are written otherwise); <paramref name="map"/> may add endpoints.
    /// </summary>
    public static async Task<ApiServer> StartAsync(IDictionary<string, string> settings, bool waitForModel = true,
        CapturedLogs? logs = null, Action<WebApplication>? map = null)
    {
        var args = settings.Select(s => $"--{s.Key}={s.Value}").ToArray();
        var app = ApiApp.Build(args, builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            if (logs is not null) builder.Logging.AddProvider(logs);
        });
        map?.Invoke(app);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        var server = new ApiServer(app, address);
        if (waitForModel) await server.WaitForModelAsync();
        return server;
    }

    public static Task<ApiServer> StartWithDemoModelAsync(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string> { ["MODEL_URI"] = Repo.DemoModel };
        foreach (var (key, value) in extra) settings[key] = value;
        return StartAsync(settings);
    }

    public async Task WaitForModelAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Models.Current is null)
        {
            if (Models.LoadFailure is { } failure) throw new InvalidOperationException($"model load failed: {failure}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("model not loaded within 30 s");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
