namespace PurchasePredict.Workers;

/// <summary>How a master hands a worker its two inherited file descriptors: by number, in these variables.</summary>
internal static class WorkerEnvironment
{
    /// <summary>The flag that makes the program a worker instead of a master.</summary>
    public const string WorkerFlag = "--worker";

    /// <summary>Write end of the pipe the worker sends <see cref="WorkerMessage"/> bytes on.</summary>
    public const string PipeFd = "PURCHASE_PREDICT_WORKER_PIPE_FD";

    /// <summary>The listening socket of the worker's slot, owned by the master.</summary>
    public const string ListenFd = "PURCHASE_PREDICT_WORKER_LISTEN_FD";
}
