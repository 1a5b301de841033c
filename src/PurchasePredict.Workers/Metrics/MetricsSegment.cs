using System.Runtime.InteropServices;
using PurchasePredict.Workers.Native;

namespace PurchasePredict.Workers.Metrics;

/// <summary>
/// Counters every process of the service shares: one memory segment (memfd_create, mapped MAP_SHARED) that the master
/// creates and every worker maps, so any worker can answer a scrape for all of them (docs/metrics.md). It holds the
/// master's words (<see cref="MasterWords"/>) and <see cref="Lanes"/> lanes of <see cref="LaneWords"/> 64-bit words;
/// each worker adds to its own lane with atomic operations, so a request never waits for another process. A lane
/// outlives its worker: the next worker given it continues its counters, so counters never go back.
/// With WORKERS=1 the segment is this process's alone, with one lane.
/// </summary>
public sealed unsafe class MetricsSegment
{
    public const int LaneWords = 1024;

    /// <summary>Words of the master's own counters, before the lanes.</summary>
    public const int MasterWords = 64;

    /// <summary>A lane's first words: the pid of the worker holding it (0: none) and its slot; the app's words follow.</summary>
    public const int LanePid = 0;
    public const int LaneSlot = 1;
    public const int LaneAppStart = 8;

    private readonly long* _words;

    private MetricsSegment(long* words, int lanes, int lane)
    {
        _words = words;
        Lanes = lanes;
        Lane = lane;
    }

    public int Lanes { get; }

    /// <summary>This process's lane (-1 in the master).</summary>
    public int Lane { get; }

    private static nuint Bytes(int lanes) => (nuint)((MasterWords + (long)lanes * LaneWords) * sizeof(long));

    /// <summary>The master's segment, lanes for two workers per slot (a worker and its successor, or one draining).</summary>
    internal static MetricsSegment CreateShared(int lanes, out int fd)
    {
        fd = Libc.MemfdCreate("purchase_predict_metrics", Libc.MFD_CLOEXEC);
        if (fd < 0) throw new IOException($"memfd_create failed: errno {Marshal.GetLastPInvokeError()}");
        if (Libc.Ftruncate(fd, (long)Bytes(lanes)) != 0) throw new IOException($"ftruncate of the metrics segment failed: errno {Marshal.GetLastPInvokeError()}");
        return new MetricsSegment(Map(fd, lanes), lanes, -1);
    }

    /// <summary>One process alone (WORKERS=1, or an app run without the host): one lane, in this process's memory.</summary>
    public static MetricsSegment Alone()
    {
        var segment = new MetricsSegment((long*)NativeMemory.AllocZeroed(Bytes(1)), 1, 0);
        segment.Claim(slot: 0);
        return segment;
    }

    /// <summary>A worker's view: the master's segment (inherited descriptor) and the lane the master gave it.</summary>
    internal static MetricsSegment Join(int fd, int lanes, int lane)
    {
        var segment = new MetricsSegment(Map(fd, lanes), lanes, lane);
        Libc.Close(fd);
        return segment;
    }

    private static long* Map(int fd, int lanes)
    {
        var address = Libc.Mmap(0, Bytes(lanes), Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
        if (address == -1) throw new IOException($"mmap of the metrics segment failed: errno {Marshal.GetLastPInvokeError()}");
        return (long*)address;
    }

    /// <summary>This worker holds its lane now: its process figures are shown under it.</summary>
    internal void Claim(int slot)
    {
        Volatile.Write(ref LaneWord(Lane, LaneSlot), slot);
        Volatile.Write(ref LaneWord(Lane, LanePid), Environment.ProcessId);
    }

    /// <summary>The master: no live worker holds the lane any more; its counters stay.</summary>
    internal void Release(int lane) => Volatile.Write(ref LaneWord(lane, LanePid), 0);

    public ref long MasterWord(int index) =>
        ref (uint)index < MasterWords ? ref _words[index] : ref *(long*)ThrowOutOfRange(index);

    public ref long LaneWord(int lane, int index) =>
        ref (uint)lane < (uint)Lanes && (uint)index < LaneWords ? ref _words[MasterWords + (long)lane * LaneWords + index] : ref *(long*)ThrowOutOfRange(index);

    /// <summary>A word of this process's own lane, from the app's part of it.</summary>
    public ref long Own(int appIndex) => ref LaneWord(Lane, LaneAppStart + appIndex);

    /// <summary>A word of any lane, from the app's part of it.</summary>
    public ref long App(int lane, int appIndex) => ref LaneWord(lane, LaneAppStart + appIndex);

    public const int AppWords = LaneWords - LaneAppStart;

    private static nint ThrowOutOfRange(int index) => throw new ArgumentOutOfRangeException(nameof(index), index, "outside the metrics segment");
}
