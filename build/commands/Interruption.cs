#nullable enable
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;

// A stop request from outside: SIGINT (Ctrl-C), SIGTERM (a CI runner cancelling the job), SIGHUP (the
// terminal or ssh session of the runner went away). The handlers only record it, as gunicorn's arbiter
// does; the pipeline stops where stopping is safe: the runner kills the local command it waits for and
// starts no new one, while a command that changes a VM finishes, and Deploy undoes the current VM's
// step, releases its locks and says what state each VM is in (build/deploy/HostDelivery.cs).
public sealed class Interruption
{
    private static readonly PosixSignal[] Signals = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP];

    private readonly CancellationTokenSource _requested = new();
    private readonly object _gate = new();

    // SIGINT, SIGTERM or SIGHUP; null until one arrives.
    public string? Signal { get; private set; }

    public bool IsRequested => _requested.IsCancellationRequested;

    public CancellationToken Token => _requested.Token;

    public void Request(string signal)
    {
        lock (_gate)
        {
            if (Signal is not null)
            {
                return;
            }
            Signal = signal;
        }
        _requested.Cancel();
    }

    public void ThrowIfRequested(string what)
    {
        if (IsRequested)
        {
            throw new PipelineInterruptedException(Signal!, what);
        }
    }

    // Takes over SIGINT, SIGTERM and SIGHUP for the whole run: the process no longer dies of them. Keep
    // the result alive as long as the run: disposing it gives the signals back to the runtime.
    public IDisposable Listen(Action<string> log)
    {
        var registrations = Signals.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            var name = signal.ToString();
            if (IsRequested)
            {
                log($"{name} again: still stopping. kill -9 would leave the deploy locks behind (--break-lock=true removes them).");
                return;
            }
            log($"{name}: stopping. The current step on a VM finishes or is undone, every lock is released, then the run ends.");
            Request(name);
        })).ToList();
        return new Registrations(registrations);
    }

    private sealed class Registrations(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose() => registrations.ForEach(r => r.Dispose());
    }
}

// The run was told to stop (Interruption): no new local command starts, and the one running was killed.
public sealed class PipelineInterruptedException(string signal, string what) : Exception($"Interrupted by {signal}: {what}")
{
    public string Signal => signal;
}
