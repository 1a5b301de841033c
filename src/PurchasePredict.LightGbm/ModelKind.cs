namespace PurchasePredict.LightGbm;

/// <summary>What a model's outputs mean, derived from its objective.</summary>
public enum ModelKind
{
    /// <summary><c>binary</c>: one output, the probability of class 1.</summary>
    Binary,

    /// <summary><c>multiclass</c> or <c>multiclassova</c>: one probability per class.</summary>
    Multiclass,

    /// <summary>Everything else (regression family, poisson, gamma, tweedie, cross_entropy, ranking): one value.</summary>
    Regression,
}
