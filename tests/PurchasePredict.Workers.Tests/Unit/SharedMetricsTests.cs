using PurchasePredict.Workers.Master;
using PurchasePredict.Workers.Metrics;

namespace PurchasePredict.Workers.Tests.Unit;

/// <summary>The master's side of the metrics segment: lanes for workers, and its lifecycle counters.</summary>
public class SharedMetricsTests
{
    [TestCase(0, new int[0], 0)]
    [TestCase(1, new int[0], 2)]
    [TestCase(1, new[] { 2 }, 3)]
    [TestCase(1, new[] { 2, 3 }, 0, TestName = "PickLane_SlotsLanesHeld_TakesAnyFreeOne")]
    [TestCase(0, new[] { 0, 1, 2, 3 }, 0, TestName = "PickLane_EveryLaneHeld_SharesTheSlotsFirst")]
    public void PickLane_PrefersTheSlotsOwnLanes(int slot, int[] held, int expected) =>
        Assert.That(SharedMetrics.Create(workers: 2).PickLane(slot, held), Is.EqualTo(expected));

    [Test]
    public void Observe_CountsLifecycleEvents_ARestartIsAStartReplacingAnExitedWorker()
    {
        var metrics = SharedMetrics.Create(workers: 2);
        metrics.Observe("worker_started", [("Pid", 10), ("Replaces", null)]);
        metrics.Observe("worker_started", [("Pid", 11), ("Replaces", 10)]);
        metrics.Observe("worker_timeout", [("Pid", 11)]);
        metrics.Observe("worker_reloaded", [("Slot", 0)]);
        metrics.Observe("worker_reloaded", [("Slot", 1)]);
        metrics.Observe("master_started", []);
        long Count(MasterCounter counter) => metrics.Segment.MasterWord((int)counter);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Count(MasterCounter.MasterPid), Is.EqualTo(Environment.ProcessId));
            Assert.That(Count(MasterCounter.WorkerStarts), Is.EqualTo(2));
            Assert.That(Count(MasterCounter.WorkerRestarts), Is.EqualTo(1));
            Assert.That(Count(MasterCounter.HeartbeatTimeouts), Is.EqualTo(1));
            Assert.That(Count(MasterCounter.Reloads), Is.EqualTo(2));
            Assert.That(Count(MasterCounter.Recycles), Is.EqualTo(0));
        }
    }

    [Test]
    public void Exited_ReleasesTheLane_UnlessAnotherLiveWorkerHoldsIt()
    {
        var metrics = SharedMetrics.Create(workers: 1);
        metrics.Segment.LaneWord(0, MetricsSegment.LanePid) = 123;
        metrics.Exited(0, [0]);
        Assert.That(metrics.Segment.LaneWord(0, MetricsSegment.LanePid), Is.EqualTo(123), "shared: still held");
        metrics.Exited(0, [1]);
        Assert.That(metrics.Segment.LaneWord(0, MetricsSegment.LanePid), Is.Zero);
    }
}
