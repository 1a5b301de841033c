namespace PurchasePredict.Workers.Metrics;

/// <summary>
/// The master's words in the <see cref="MetricsSegment"/>, counted from its lifecycle events (docs/workers.md):
/// what happened to the workers, which no worker can count itself.
/// </summary>
public enum MasterCounter
{
    /// <summary>The master's pid; 0 when there is no master (WORKERS=1).</summary>
    MasterPid,

    /// <summary><c>worker_started</c>.</summary>
    WorkerStarts,

    /// <summary><c>worker_started</c> in place of a worker that exited (crash, kill, timeout, boot failure).</summary>
    WorkerRestarts,

    /// <summary><c>worker_exited</c>.</summary>
    WorkerExits,

    /// <summary><c>boot_failed</c>: a worker exited before it was ready.</summary>
    BootFailures,

    /// <summary><c>worker_recycled</c>: a successor took over after MAX_REQUESTS.</summary>
    Recycles,

    /// <summary><c>worker_reloaded</c>: a successor took over after SIGHUP.</summary>
    Reloads,

    /// <summary><c>reload_requested</c>: SIGHUPs.</summary>
    ReloadRequests,

    /// <summary><c>worker_timeout</c>: a worker missed its heartbeats for WORKER_TIMEOUT and was killed.</summary>
    HeartbeatTimeouts,

    /// <summary><c>drain_timeout</c>: a draining worker outlived GRACEFUL_TIMEOUT and was killed.</summary>
    DrainTimeouts,
}
