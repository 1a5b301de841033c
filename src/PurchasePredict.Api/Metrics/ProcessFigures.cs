using Microsoft.Extensions.Hosting;
using PurchasePredict.Api.Loading;
using PurchasePredict.Api.Settings;
using PurchasePredict.Workers.Metrics;
using static PurchasePredict.Api.Metrics.MetricsLayout;

namespace PurchasePredict.Api.Metrics;

/// <summary>
/// Once a second, this worker's memory and GC figures and the identity of the model it serves, into its lane: another
/// worker answering a scrape cannot ask this process, so each publishes its own.
/// </summary>
public sealed class ProcessFigures(ApiMetrics metrics, ModelHolder models, ApiSettings settings) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private static readonly long StartUnixSeconds = new DateTimeOffset(System.Diagnostics.Process.GetCurrentProcess().StartTime).ToUnixTimeSeconds();

    private LoadedModel? _published;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do Publish();
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Publish()
    {
        var segment = metrics.Segment;
        var gc = GC.GetGCMemoryInfo();
        Set(segment, ProcessWord.ResidentBytes, Environment.WorkingSet);
        Set(segment, ProcessWord.HeapBytes, gc.HeapSizeBytes);
        Set(segment, ProcessWord.Gen0, GC.CollectionCount(0));
        Set(segment, ProcessWord.Gen1, GC.CollectionCount(1));
        Set(segment, ProcessWord.Gen2, GC.CollectionCount(2));
        Set(segment, ProcessWord.PauseNanoseconds, GC.GetTotalPauseDuration().Ticks * 100);
        Set(segment, ProcessWord.AllocatedBytes, GC.GetTotalAllocatedBytes());
        Set(segment, ProcessWord.StartUnixSeconds, StartUnixSeconds);
        if (models.Current is { } model && model != _published)
        {
            _published = model;
            LaneText.Write(segment, ModelText, ModelInfoText.Text(ServedModelName.Name(settings), ServedModelName.Version(model), model.Model.Kind), ModelTextBytes);
        }
    }

    private static void Set(MetricsSegment segment, ProcessWord word, long value) => Volatile.Write(ref segment.Own(Process + (int)word), value);
}
