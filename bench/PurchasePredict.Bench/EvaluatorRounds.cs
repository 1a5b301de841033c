using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using PurchasePredict.LightGbm;
using PurchasePredict.NativeLightGbm;

namespace PurchasePredict.Bench;

/// <summary>
/// Our evaluator against native LightGBM without BenchmarkDotNet, so that the same code runs JIT-compiled and as a
/// native AOT binary (BenchmarkDotNet's in-process toolchain emits code at run time). Same models, rows and
/// native calls as <see cref="EvaluatorBenchmarks"/>. Native and ours alternate in short rounds of about 20 ms,
/// each round timing both on the same calls, so a change in the machine's load hits both sides of a ratio alike;
/// the figures are medians over rounds. Prints one JSON object.
/// </summary>
internal static class EvaluatorRounds
{
    private const int PoolRows = 10_000;
    private const double RoundMilliseconds = 20;

    /// <summary>Rows per call measured by default: one row, a small batch, the whole pool.</summary>
    public static readonly int[] Sizes = [1, 10, PoolRows];

    public static JsonObject Run(int rounds, IReadOnlyList<int> sizes)
    {
        var results = new JsonArray();
        foreach (var model in BenchModel.All)
        {
            var text = File.ReadAllText(model.EnsureFile());
            var ours = LightGbmModel.Parse(text);
            using var native = NativeBooster.FromModelText(text);
            using var nativeSingle = new NativeSingleRowPredictor(native);
            var pool = model.Rows(PoolRows);
            var sides = new Sides(ours, native, nativeSingle, pool);
            sides.CheckSameAnswers(model.Name);
            foreach (var rows in sizes)
            {
                results.Add((JsonNode)Measure(model.Name, rows, sides, rounds));
            }
        }

        return new JsonObject
        {
            ["runtime"] = RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "native AOT",
            ["framework"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["gc"] = GCSettings.IsServerGC ? "server" : "workstation",
            ["rounds"] = rounds,
            ["results"] = results,
        };
    }

    private static JsonObject Measure(string model, int rows, Sides sides, int rounds)
    {
        // Calls per round: about RoundMilliseconds of native work, measured once.
        var probe = Stopwatch.StartNew();
        var calls = 0;
        while (probe.Elapsed.TotalMilliseconds < RoundMilliseconds)
        {
            sides.Native(rows, calls++);
        }

        var native = new double[rounds];
        var ours = new double[rounds];
        var ratios = new double[rounds];
        for (var round = 0; round < rounds; round++)
        {
            native[round] = NanosecondsPerCall(calls, call => sides.Native(rows, call));
            ours[round] = NanosecondsPerCall(calls, call => sides.Ours(rows, call));
            ratios[round] = native[round] / ours[round];
        }

        return new JsonObject
        {
            ["model"] = model,
            ["rows"] = rows,
            ["calls_per_round"] = calls,
            ["native_median_ns"] = Median(native),
            ["ours_median_ns"] = Median(ours),
            ["times_faster_median"] = Median(ratios),
            ["times_faster_min"] = ratios.Min(),
            ["times_faster_max"] = ratios.Max(),
        };
    }

    private static double NanosecondsPerCall(int calls, Action<int> call)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            call(i);
        }

        return watch.Elapsed.TotalNanoseconds / calls;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Both evaluators over one pool of rows; call i takes the i-th block of rows (wrapping round).</summary>
    private sealed class Sides(LightGbmModel ours, NativeBooster native, NativeSingleRowPredictor nativeSingle, double[] pool)
    {
        private readonly int _width = ours.FeatureCount;
        private readonly double[] _outputs = new double[PoolRows];

        // The native wrapper takes whole arrays: the 10-row blocks are cut once, as in EvaluatorBenchmarks.
        private readonly double[][] _tenRowBlocks = pool.Chunk(10 * ours.FeatureCount).ToArray();

        public void CheckSameAnswers(string model)
        {
            var expected = native.Predict(pool, PoolRows);
            ours.Predict(pool, PoolRows, _outputs);
            var worst = expected.Zip(_outputs, (a, b) => Math.Abs(a - b)).Max();
            if (worst > 1e-12)
            {
                throw new InvalidOperationException($"{model}: our evaluator differs from native LightGBM by {worst} on the benchmark rows");
            }
        }

        public void Native(int rows, int call)
        {
            var first = First(rows, call);
            switch (rows)
            {
                case 1:
                    nativeSingle.Predict(pool.AsSpan(first * _width, _width), _outputs.AsSpan(first, 1));
                    break;
                case 10:
                    native.Predict(_tenRowBlocks[first / 10], rows);
                    break;
                default:
                    native.Predict(pool, PoolRows);
                    break;
            }
        }

        public void Ours(int rows, int call)
        {
            var first = First(rows, call);
            if (rows == 1)
            {
                ours.Predict(pool.AsSpan(first * _width, _width), _outputs.AsSpan(first, 1));
            }
            else
            {
                ours.Predict(pool.AsSpan(first * _width, rows * _width), rows, _outputs.AsSpan(0, rows));
            }
        }

        private static int First(int rows, int call) => (call * rows) % PoolRows;
    }
}
