using System.Globalization;

namespace PurchasePredict.Workers.Master;

/// <summary>
/// Runtime settings the master gives its workers. Each worker is a whole .NET runtime that sizes itself for the
/// whole machine or container: left alone, WORKERS runtimes each believe they own every CPU and most of the memory.
/// <list type="bullet">
/// <item>CPUs: its thread pool, socket I/O queues and spin-waiting follow <see cref="System.Environment.ProcessorCount"/>;
/// WORKERS runtimes that each counted every CPU fought over the same cores (issue 14: WORKERS=4 served a third of
/// one process's requests on 2 cores). Each is told its share: the master's count (which already honours the
/// container's CPU quota and affinity) divided by WORKERS, at least 1.</item>
/// <item>Memory: under a container limit each runtime's GC takes 75 % of the whole limit as its own heap limit, so
/// WORKERS heaps together outgrow the container and the kernel kills a worker with every request in it. Each is
/// given its share of those 75 % instead (DOTNET_GCHeapHardLimitPercent = 75 / WORKERS): a request that does not fit
/// in its worker's heap fails alone.</item>
/// </list>
/// An operator's own setting of either is passed on untouched.
/// </summary>
internal static class WorkerRuntime
{
    public const string ProcessorCountVariable = "DOTNET_PROCESSOR_COUNT";
    public const string HeapHardLimitVariable = "DOTNET_GCHeapHardLimit";
    public const string HeapHardLimitPercentVariable = "DOTNET_GCHeapHardLimitPercent";

    /// <summary>The runtime's default heap limit under a container limit, in percent of that limit.</summary>
    private const int DefaultHeapPercent = 75;

    /// <param name="underMemoryLimit">Whether the service runs under a container's memory limit.</param>
    public static IReadOnlyDictionary<string, string> Environment(
        int workers, int processorCount, bool underMemoryLimit, Func<string, string?> variable)
    {
        var environment = new Dictionary<string, string>();
        if (IsUnset(variable, ProcessorCountVariable))
            environment[ProcessorCountVariable] = Math.Max(1, processorCount / workers).ToString(CultureInfo.InvariantCulture);
        if (underMemoryLimit && IsUnset(variable, HeapHardLimitVariable) && IsUnset(variable, HeapHardLimitPercentVariable))
            // Hexadecimal without "0x": how both runtimes (CoreCLR and native AOT) read DOTNET_GC* numbers.
            environment[HeapHardLimitPercentVariable] = Math.Max(1, DefaultHeapPercent / workers).ToString("x", CultureInfo.InvariantCulture);
        return environment;
    }

    private static bool IsUnset(Func<string, string?> variable, string name) => string.IsNullOrWhiteSpace(variable(name));
}
