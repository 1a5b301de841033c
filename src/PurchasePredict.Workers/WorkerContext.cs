using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PurchasePredict.Workers.Worker;

namespace PurchasePredict.Workers;

/// <summary>
/// What the host gives the app it runs: the app's own arguments and <see cref="Configure"/>, which the app
/// must apply to its builder (last) so the host decides where a worker listens, when it is ready and how it stops.
/// </summary>
public sealed class WorkerContext
{
    /// <summary>How long a draining worker waits for its open connections to close before Kestrel stops.</summary>
    private static readonly TimeSpan IdleConnectionGrace = TimeSpan.FromSeconds(1);

    private readonly HostSettings _settings;
    private readonly MasterLink? _link;
    private readonly Func<IServiceProvider, bool> _isReady;
    private readonly Hangup _hangup;
    private readonly Action<IServiceProvider>? _reload;
    private readonly Drain _drain;
    private readonly AcceptGate _gate;

    internal WorkerContext(string[] args, HostSettings settings, MasterLink? link, Func<IServiceProvider, bool> isReady,
        Hangup hangup, Action<IServiceProvider>? reload)
    {
        Args = args;
        _settings = settings;
        _link = link;
        _isReady = isReady;
        _hangup = hangup;
        _reload = reload;
        _drain = new Drain(settings.GracefulTimeout < IdleConnectionGrace ? settings.GracefulTimeout : IdleConnectionGrace,
            () => link?.Send(WorkerMessage.StoppedAccepting));
        // Alone, the app decides what it answers while it gets ready (the API: /health/live, 503 elsewhere).
        _gate = link is null ? AcceptGate.Opened() : new AcceptGate();
    }

    /// <summary>The program's arguments, without the host's <c>--worker</c> flag.</summary>
    public string[] Args { get; }

    /// <summary>The worker was told to stop (SIGTERM, SIGINT, or its master is gone).</summary>
    internal bool IsStopping => _drain.IsDraining;

    /// <summary>
    /// Listening: under a master, on the slot's socket inherited from it (the app's own URLs are dropped),
    /// accepting only once ready; alone, where the app listens itself. Stopping (SIGTERM, SIGINT): drain, then
    /// in-flight requests get GRACEFUL_TIMEOUT. Readiness: the master hears "ready" once the app has started and
    /// is ready. Requests are counted when MAX_REQUESTS (or the test hang) is set. Alone, SIGHUP calls the app's reload.
    /// </summary>
    public void Configure(WebApplicationBuilder builder)
    {
        if (_link is not null)
        {
            builder.WebHost.UseUrls();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenHandle((ulong)_link.ListenFd));
            builder.Services.AddHostedService(services => new ReadinessReporter(
                _link, _gate, _drain, services.GetRequiredService<IHostApplicationLifetime>(), () => _isReady(services)));
        }
        else if (_reload is { } reload)
        {
            builder.Services.AddHostedService(services => new ReloadOnHangup(_hangup, () => reload(services)));
        }
        builder.Services.AddSingleton(_drain);
        builder.Services.AddSingleton(_gate);
        builder.Services.AddSingleton<IConnectionListenerFactory, WorkerListenerFactory>();
        builder.Services.AddSingleton<IHostLifetime, DrainingLifetime>();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = _settings.GracefulTimeout);
        builder.Services.AddSingleton<IStartupFilter>(
            new WorkerStartupFilter(_drain, RequestBudget.For(_settings, _link, Random.Shared)));
    }
}
