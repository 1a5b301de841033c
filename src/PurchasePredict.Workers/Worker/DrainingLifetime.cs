using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Replaces the console lifetime, which stops Kestrel at once on SIGTERM/SIGINT: here those signals start a
/// <see cref="Drain"/> instead.
/// </summary>
internal sealed class DrainingLifetime(IHostApplicationLifetime lifetime, Drain drain) : IHostLifetime, IDisposable
{
    private PosixSignalRegistration[] _registrations = [];

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        _registrations = [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                drain.Begin(lifetime);
            }))];
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
    }
}
