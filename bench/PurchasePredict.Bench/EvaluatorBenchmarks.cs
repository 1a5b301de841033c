using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using PurchasePredict.LightGbm;
using PurchasePredict.NativeLightGbm;

namespace PurchasePredict.Bench;

/// <summary>
/// Our evaluator against native LightGBM 4.7.0 (num_threads=1) on the same model and rows, for 1, 10 and
/// 10,000 rows per call; native is the baseline of each group. Each call takes the next rows of a 10,000-row
/// pool, so the timings are not those of one row the branch predictor has learnt.
/// Native single row = LGBM_BoosterPredictForMatSingleRowFast (its fastest path, config prepared once);
/// 10 and 10,000 rows = LGBM_BoosterPredictForMat, whose wrapper returns a new array per call (counted in
/// Allocated); ours writes into a buffer made once.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class EvaluatorBenchmarks
{
    private const int PoolRows = 10_000;
    private const int SmallBatch = 10;

    private LightGbmModel _ours = null!;
    private NativeBooster _native = null!;
    private NativeSingleRowPredictor _nativeSingle = null!;
    private double[] _pool = null!;
    private double[][] _smallBatches = null!;
    private double[] _outputs = null!;
    private int _width;
    private int _next;

    [Params("numeric", "categorical")]
    public string Model { get; set; } = "numeric";

    [GlobalSetup]
    public void Setup()
    {
        var model = BenchModel.Named(Model);
        var text = File.ReadAllText(model.EnsureFile());
        _ours = LightGbmModel.Parse(text);
        _native = NativeBooster.FromModelText(text);
        _nativeSingle = new NativeSingleRowPredictor(_native);
        _width = _ours.FeatureCount;
        _pool = model.Rows(PoolRows);
        _smallBatches = _pool.Chunk(SmallBatch * _width).ToArray();
        _outputs = new double[PoolRows];
        CheckSameAnswers();
    }

    /// <summary>A benchmark of two evaluators is only fair when they compute the same thing.</summary>
    private void CheckSameAnswers()
    {
        var expected = _native.Predict(_pool, PoolRows);
        _ours.Predict(_pool, PoolRows, _outputs);
        var worst = expected.Zip(_outputs, (a, b) => Math.Abs(a - b)).Max();
        if (worst > 1e-12)
        {
            throw new InvalidOperationException($"{Model}: our evaluator differs from native LightGBM by {worst} on the benchmark rows");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _nativeSingle.Dispose();
        _native.Dispose();
    }

    private int NextRow() => _next = _next + 1 >= PoolRows ? 0 : _next + 1;

    private int NextBatch() => _next = _next + 1 >= _smallBatches.Length ? 0 : _next + 1;

    [Benchmark(Baseline = true, Description = "native"), BenchmarkCategory("1 row")]
    public double NativeOneRow()
    {
        var row = NextRow();
        _nativeSingle.Predict(_pool.AsSpan(row * _width, _width), _outputs.AsSpan(row, 1));
        return _outputs[row];
    }

    [Benchmark(Description = "ours"), BenchmarkCategory("1 row")]
    public double OursOneRow()
    {
        var row = NextRow();
        _ours.Predict(_pool.AsSpan(row * _width, _width), _outputs.AsSpan(row, 1));
        return _outputs[row];
    }

    [Benchmark(Baseline = true, Description = "native"), BenchmarkCategory("10 rows")]
    public double[] NativeTenRows() => _native.Predict(_smallBatches[NextBatch()], SmallBatch);

    [Benchmark(Description = "ours"), BenchmarkCategory("10 rows")]
    public double OursTenRows()
    {
        var output = _outputs.AsSpan(0, SmallBatch);
        _ours.Predict(_smallBatches[NextBatch()], SmallBatch, output);
        return output[0];
    }

    [Benchmark(Baseline = true, Description = "native"), BenchmarkCategory("10,000 rows")]
    public double[] NativeAllRows() => _native.Predict(_pool, PoolRows);

    [Benchmark(Description = "ours"), BenchmarkCategory("10,000 rows")]
    public double OursAllRows()
    {
        _ours.Predict(_pool, PoolRows, _outputs);
        return _outputs[0];
    }
}
