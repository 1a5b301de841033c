using System.Runtime.CompilerServices;
using BenchmarkDotNet.Running;
using PurchasePredict.Bench;

// bench/run.sh drives this (docs/benchmarks.md). Usage:
//   PurchasePredict.Bench model NAME           train (or reuse) a benchmark model, print its path
//   PurchasePredict.Bench evaluator ARTIFACTS  BenchmarkDotNet: our evaluator vs native, results under ARTIFACTS
//   PurchasePredict.Bench rounds [N [ROWS...]] the same comparison in N alternating rounds (default 31), as JSON,
//                                              for ROWS rows per call (1, 10 and/or 10000; default all three);
//                                              runs JIT-compiled or as a native AOT binary alike
// BenchmarkDotNet generates code at run time; the native AOT build (bench/parts/evaluator.sh) drops that branch
// (IsDynamicCodeSupported is a constant false there), so none of BenchmarkDotNet is compiled into it.
switch (args)
{
    case ["model", var name]:
        Console.WriteLine(BenchModel.Named(name).EnsureFile());
        return 0;
    case ["evaluator", var artifacts, .. var rest] when RuntimeFeature.IsDynamicCodeSupported:
        foreach (var model in BenchModel.All)
        {
            model.EnsureFile(); // trained before timing starts, not inside the first benchmark's setup
        }

        var summary = BenchmarkRunner.Run<EvaluatorBenchmarks>(BenchConfig.Create(artifacts), rest);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    case ["rounds"]:
        Console.WriteLine(EvaluatorRounds.Run(31, EvaluatorRounds.Sizes).ToJsonString(new() { WriteIndented = true }));
        return 0;
    case ["rounds", var count, .. var sizes] when int.TryParse(count, out var rounds) && rounds > 0
        && sizes.All(size => int.TryParse(size, out var rows) && EvaluatorRounds.Sizes.Contains(rows)):
        var chosen = sizes.Length == 0 ? EvaluatorRounds.Sizes : [.. sizes.Select(int.Parse)];
        Console.WriteLine(EvaluatorRounds.Run(rounds, chosen).ToJsonString(new() { WriteIndented = true }));
        return 0;
    default:
        Console.Error.WriteLine("usage: PurchasePredict.Bench model numeric|categorical | evaluator ARTIFACTS_DIR [BenchmarkDotNet args] | rounds [N>0 [1|10|10000...]]"
            + (RuntimeFeature.IsDynamicCodeSupported ? "" : "\n(this native AOT build has no BenchmarkDotNet: evaluator needs the JIT build)"));
        return 2;
}
