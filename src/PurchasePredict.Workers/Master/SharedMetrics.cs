using PurchasePredict.Workers.Metrics;

namespace PurchasePredict.Workers.Master;

/// <summary>
/// The master's side of the metrics segment: creates it, gives each worker a lane, frees a lane when its worker is
/// gone, and counts the lifecycle events into <see cref="MasterCounter"/> words.
/// </summary>
internal sealed class SharedMetrics
{
    private SharedMetrics(MetricsSegment segment, int fd, int workers)
    {
        Segment = segment;
        Fd = fd;
        _workers = workers;
    }

    private readonly int _workers;

    public MetricsSegment Segment { get; }

    /// <summary>The segment's descriptor (close-on-exec: each worker gets a dup).</summary>
    public int Fd { get; }

    /// <summary>Two lanes per slot: its worker and a successor (reload, recycle) or a draining predecessor.</summary>
    public static SharedMetrics Create(int workers)
    {
        var segment = MetricsSegment.CreateShared(2 * workers, out var fd);
        segment.MasterWord((int)MasterCounter.MasterPid) = Environment.ProcessId;
        return new SharedMetrics(segment, fd, workers);
    }

    /// <summary>
    /// A lane no live worker holds, the slot's own two first; when every lane is held (reloads in quick succession,
    /// workers still draining), the slot's first lane is shared: its counters stay exact, only its process figures mix.
    /// </summary>
    public int PickLane(int slot, IEnumerable<int> heldLanes)
    {
        var held = heldLanes.ToHashSet();
        int[] preferred = [2 * slot, 2 * slot + 1];
        foreach (var lane in preferred.Concat(Enumerable.Range(0, 2 * _workers)))
            if (!held.Contains(lane))
                return lane;
        return 2 * slot;
    }

    /// <summary>A worker exited: its lane's process figures disappear unless another live worker shares it.</summary>
    public void Exited(int lane, IEnumerable<int> otherLiveLanes)
    {
        if (!otherLiveLanes.Contains(lane))
            Segment.Release(lane);
    }

    /// <summary>Counts a lifecycle event (<see cref="LifecycleLog"/> calls this for every event it writes).</summary>
    public void Observe(string @event, (string Name, object? Value)[] fields)
    {
        MasterCounter? counter = @event switch
        {
            "worker_exited" => MasterCounter.WorkerExits,
            "boot_failed" => MasterCounter.BootFailures,
            "worker_recycled" => MasterCounter.Recycles,
            "worker_reloaded" => MasterCounter.Reloads,
            "reload_requested" => MasterCounter.ReloadRequests,
            "worker_timeout" => MasterCounter.HeartbeatTimeouts,
            "drain_timeout" => MasterCounter.DrainTimeouts,
            _ => null,
        };
        if (counter is { } found)
            Interlocked.Increment(ref Segment.MasterWord((int)found));
        if (@event != "worker_started")
            return;
        Interlocked.Increment(ref Segment.MasterWord((int)MasterCounter.WorkerStarts));
        if (fields.Any(field => field is { Name: "Replaces", Value: not null }))
            Interlocked.Increment(ref Segment.MasterWord((int)MasterCounter.WorkerRestarts));
    }
}
