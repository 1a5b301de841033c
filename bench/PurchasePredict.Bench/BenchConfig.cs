using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace PurchasePredict.Bench;

/// <summary>
/// A short job, so the whole evaluator run stays under about 5 minutes on 2 shared cores: in-process (no
/// generated project to build per benchmark), 1 launch, 3 warm-up and 10 measured iterations of about 250 ms.
/// Median and percentiles are shown next to the mean; Ratio is against native (the baseline).
/// </summary>
internal static class BenchConfig
{
    public static IConfig Create(string artifactsPath) => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("short"))
        .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
        .AddExporter(JsonExporter.Full)
        .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value))
        .WithArtifactsPath(artifactsPath)
        .WithOption(ConfigOptions.JoinSummary, true);
}
