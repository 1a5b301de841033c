using System.Net.Sockets;

namespace PurchasePredict.Workers.Master;

/// <summary>
/// One of the WORKERS places: its listening socket, the worker serving it, and the successor booting to
/// replace that worker (recycle or reload). A successor takes over only once it is ready.
/// </summary>
internal sealed class Slot(int index, Socket socket)
{
    public int Index { get; } = index;
    public Socket Socket { get; } = socket;

    public WorkerProcess? Active { get; set; }
    public WorkerProcess? Successor { get; set; }

    /// <summary>Consecutive workers of this slot that died before they were ready.</summary>
    public int BootFailures { get; set; }

    /// <summary>When the next worker may start (monotonic milliseconds): now, or later after boot failures.</summary>
    public long NextStartAt { get; set; }

    /// <summary>The worker that last left the slot by dying, for the "replaces" field of the next start.</summary>
    public int? LastExitedPid { get; set; }

    /// <summary>False once the slot's socket left the port's group because no worker of the slot can serve.</summary>
    public bool Listening { get; set; } = true;

    /// <summary>Since when (monotonic milliseconds) the slot has had no ready worker after its serving one exited; null while served.</summary>
    public long? UnservedSince { get; set; }

    public IEnumerable<WorkerProcess> Workers()
    {
        if (Active is not null)
            yield return Active;
        if (Successor is not null)
            yield return Successor;
    }
}
