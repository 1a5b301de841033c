namespace PurchasePredict.LightGbm;

/// <summary>
/// Which evaluator a model uses. Models always take <see cref="Fastest"/>; the others exist so tests can check
/// every path against the plain walk on this machine, whatever its instruction sets.
/// </summary>
internal enum EvaluatorPath
{
    /// <summary><see cref="SplitMaskForest"/> with the widest shuffle the machine has, when the forest allows it.</summary>
    Fastest,

    /// <summary><see cref="SplitMaskForest"/> with 128-bit shuffles only (what a machine without AVX2 runs).</summary>
    SplitMasks128,

    /// <summary>The node-by-node walk of <see cref="Forest"/>.</summary>
    Walk,
}
