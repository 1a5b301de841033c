using System.Runtime.InteropServices;

namespace PurchasePredict.Workers.Worker;

/// <summary>
/// SIGHUP in a worker process, handled from the process's first moments (its default action ends the process).
/// Under a master it is ignored: the master reloads by replacing workers, and a SIGHUP sent to the whole process
/// group reaches every worker too, which must not die of it. Alone (WORKERS=1) it asks the app to reload, once
/// the app has said how (<see cref="OnReload"/>); before that there is nothing loaded to reload.
/// </summary>
internal sealed class Hangup : IDisposable
{
    private readonly PosixSignalRegistration _registration;
    private volatile Action? _reload;

    public Hangup(bool underMaster) =>
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            if (!underMaster)
                _reload?.Invoke();
        });

    public void OnReload(Action? reload) => _reload = reload;

    public void Dispose() => _registration.Dispose();
}
