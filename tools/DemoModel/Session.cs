namespace DemoModel;

/// <summary>
/// One row of the tutorial's primary.csv without user_session and user_id: the 13 model features in the
/// tutorial's column order, plus the label. Brand may be null and Duration NaN (missing values).
/// </summary>
internal sealed record Session(
    long ProductId,
    string? Brand,
    double Price,
    int NumViewsSession,
    int NumViewsProduct,
    string Category,
    string SubCategory,
    int Hour,
    int Minute,
    int Weekday,
    double Duration,
    int NumPrevSessions,
    int NumPrevProductViews,
    bool Purchased)
{
    public static readonly string[] FeatureNames =
    [
        "product_id", "brand", "price", "num_views_session", "num_views_product", "category", "sub_category",
        "hour", "minute", "weekday", "duration", "num_prev_sessions", "num_prev_product_views",
    ];

    /// <summary>Indices of the string columns, which LightGBM treats as categorical features.</summary>
    public static readonly int[] CategoricalColumns = [1, 5, 6];
}
