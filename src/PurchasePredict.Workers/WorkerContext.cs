using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PurchasePredict.Workers.Worker;

namespace PurchasePredict.Workers;

/// <summary>
/// What the host gives the app it runs: the app's own arguments and <see cref="Configure"/>, which the app
/// applies to its builder so the host decides where it listens and how it stops.
/// </summary>
public sealed class WorkerContext
{
    private readonly HostSettings _settings;
    private readonly MasterLink? _link;

    internal WorkerContext(string[] args, HostSettings settings, MasterLink? link)
    {
        Args = args;
        _settings = settings;
        _link = link;
        Drain = new Drain(settings.GracefulTimeout < IdleConnectionGrace ? settings.GracefulTimeout : IdleConnectionGrace);
    }

    /// <summary>The program's arguments, without the host's <c>--worker</c> flag.</summary>
    public string[] Args { get; }

    /// <summary>True when a master supervises this worker (WORKERS > 1), false for WORKERS=1.</summary>
    public bool IsSupervised => _link is not null;

    /// <summary>How long a draining worker waits for its open connections to close before Kestrel stops.</summary>
    private static readonly TimeSpan IdleConnectionGrace = TimeSpan.FromSeconds(1);

    internal Drain Drain { get; }

    /// <summary>
    /// Listening: on the socket inherited from the master, or on 0.0.0.0/[::]:PORT when alone. Stopping
    /// (SIGTERM, SIGINT): drain, then in-flight requests get GRACEFUL_TIMEOUT. Requests are counted when
    /// MAX_REQUESTS (or the test hang) is set.
    /// </summary>
    public void Configure(WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (_link is not null)
                kestrel.ListenHandle((ulong)_link.ListenFd);
            else
                kestrel.ListenAnyIP(_settings.Port);
        });
        builder.Services.AddSingleton(Drain);
        builder.Services.AddSingleton<IConnectionListenerFactory, DrainingListenerFactory>();
        builder.Services.AddSingleton<IHostLifetime, DrainingLifetime>();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = _settings.GracefulTimeout);
        builder.Services.AddSingleton<IStartupFilter>(
            new WorkerStartupFilter(Drain, RequestBudget.For(_settings, _link, Random.Shared)));
    }
}
