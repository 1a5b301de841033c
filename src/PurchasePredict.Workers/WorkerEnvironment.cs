namespace PurchasePredict.Workers;

/// <summary>How a master hands a worker its inherited file descriptors (by number) and its metrics lane, in these variables.</summary>
internal static class WorkerEnvironment
{
    /// <summary>The flag that makes the program a worker instead of a master.</summary>
    public const string WorkerFlag = "--worker";

    /// <summary>Write end of the pipe the worker sends <see cref="WorkerMessage"/> bytes on.</summary>
    public const string PipeFd = "PURCHASE_PREDICT_WORKER_PIPE_FD";

    /// <summary>The listening socket of the worker's slot, owned by the master.</summary>
    public const string ListenFd = "PURCHASE_PREDICT_WORKER_LISTEN_FD";

    /// <summary>The shared metrics segment (<see cref="Metrics.MetricsSegment"/>), its lane count, and the worker's lane and slot.</summary>
    public const string MetricsFd = "PURCHASE_PREDICT_WORKER_METRICS_FD";
    public const string MetricsLanes = "PURCHASE_PREDICT_WORKER_METRICS_LANES";
    public const string MetricsLane = "PURCHASE_PREDICT_WORKER_METRICS_LANE";
    public const string Slot = "PURCHASE_PREDICT_WORKER_SLOT";
}
