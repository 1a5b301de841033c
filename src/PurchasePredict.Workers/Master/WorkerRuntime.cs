using System.Globalization;

namespace PurchasePredict.Workers.Master;

/// <summary>
/// Runtime settings the master gives its workers: each worker is a whole .NET runtime that sizes its thread pool,
/// its socket I/O queues, its GC and its spin-waiting from <see cref="Environment.ProcessorCount"/>. Left alone,
/// WORKERS runtimes each believe they own every CPU and their spinning threads fight over the same cores
/// (issue 14: WORKERS=4 served a third of one process's requests on 2 cores). So each worker is told its share:
/// the master's processor count (which already honours the container's CPU quota and affinity) divided by
/// WORKERS, at least 1. An operator's own DOTNET_PROCESSOR_COUNT is passed on untouched.
/// </summary>
internal static class WorkerRuntime
{
    public const string ProcessorCountVariable = "DOTNET_PROCESSOR_COUNT";

    public static IReadOnlyDictionary<string, string> Environment(int workers, int processorCount, Func<string, string?> variable)
    {
        if (!string.IsNullOrWhiteSpace(variable(ProcessorCountVariable)))
            return new Dictionary<string, string>();
        var share = Math.Max(1, processorCount / workers);
        return new Dictionary<string, string> { [ProcessorCountVariable] = share.ToString(CultureInfo.InvariantCulture) };
    }
}
