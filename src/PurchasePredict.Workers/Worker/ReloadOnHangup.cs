using Microsoft.Extensions.Hosting;

namespace PurchasePredict.Workers.Worker;

/// <summary>Connects SIGHUP to the app's reload while the app runs (WORKERS=1).</summary>
internal sealed class ReloadOnHangup(Hangup hangup, Action reload) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        hangup.OnReload(reload);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        hangup.OnReload(null);
        return Task.CompletedTask;
    }
}
