using BenchmarkDotNet.Running;
using PurchasePredict.Bench;

// bench/run.sh drives this (docs/benchmarks.md). Usage:
//   PurchasePredict.Bench model NAME           train (or reuse) a benchmark model, print its path
//   PurchasePredict.Bench evaluator ARTIFACTS  BenchmarkDotNet: our evaluator vs native, results under ARTIFACTS
switch (args)
{
    case ["model", var name]:
        Console.WriteLine(BenchModel.Named(name).EnsureFile());
        return 0;
    case ["evaluator", var artifacts, .. var rest]:
        foreach (var model in BenchModel.All)
        {
            model.EnsureFile(); // trained before timing starts, not inside the first benchmark's setup
        }

        var summary = BenchmarkRunner.Run<EvaluatorBenchmarks>(BenchConfig.Create(artifacts), rest);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    default:
        Console.Error.WriteLine("usage: PurchasePredict.Bench model numeric|categorical | evaluator ARTIFACTS_DIR [BenchmarkDotNet args]");
        return 2;
}
