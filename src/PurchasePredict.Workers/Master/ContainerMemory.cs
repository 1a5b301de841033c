namespace PurchasePredict.Workers.Master;

/// <summary>Whether this process runs under a memory limit (a container's, or a cgroup's).</summary>
internal static class ContainerMemory
{
    /// <summary>
    /// The runtime already finds the cgroup limit (v1 or v2) and reports what it may use under it as the memory
    /// available; without one it reports the machine's memory, which /proc/meminfo gives too. False when the
    /// machine's memory is unknown: then nothing is assumed.
    /// </summary>
    public static bool IsLimited() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes < MachineMemory();

    private static long MachineMemory()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kilobytes is null ? 0 : long.Parse(kilobytes, System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
