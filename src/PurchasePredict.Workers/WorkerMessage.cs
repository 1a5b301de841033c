namespace PurchasePredict.Workers;

/// <summary>
/// What a worker tells its master, one byte each, over the pipe the master gave it.
/// Bytes, not lines: a write of one byte to a pipe is atomic, so concurrent senders never interleave.
/// </summary>
internal enum WorkerMessage : byte
{
    /// <summary>The worker's thread pool is running: sent every heartbeat interval from the moment the worker starts.</summary>
    Heartbeat = (byte)'H',

    /// <summary>The app is built and listening: the master may now drain the worker this one replaces.</summary>
    Ready = (byte)'R',

    /// <summary>MAX_REQUESTS reached: start my successor, then drain me.</summary>
    RecycleMe = (byte)'M',

    /// <summary>Draining: this worker accepts no more connections (its accept loop has ended).</summary>
    StoppedAccepting = (byte)'S',
}
