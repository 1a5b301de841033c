using System.Collections.Frozen;

namespace PurchasePredict.Api.Metrics;

/// <summary>
/// The fixed label values of the service's metrics: every worker runs the same program, so a label value's index is
/// the same in every worker's lane of the shared segment. Anything not listed counts under "other".
/// </summary>
public static class MetricLabels
{
    public const string Other = "other";

    /// <summary>Route patterns as mapped (the <c>route</c> label); requests that matched none are "other".</summary>
    public static readonly string[] Routes =
    [
        "/predict", "/invocations", "/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer",
        "/v2/health/live", "/v2/health/ready", "/v2", "/v2/models/{name}", "/v2/models/{name}/versions/{version}",
        "/v2/models/{name}/ready", "/v2/models/{name}/versions/{version}/ready", "/v2/{**rest}",
        "/", "/health/live", "/health/ready", "/ping", "/health", "/version", "/metrics", Other,
    ];

    public static readonly int[] Statuses = [200, 400, 404, 405, 408, 413, 415, 499, 500, 503];

    /// <summary>The titles of the problems a client can cause (FrameException and friends): the <c>problem</c> label.</summary>
    public static readonly string[] Problems =
    [
        "Malformed JSON", "Malformed CSV", "Malformed gzip body", "Unsupported frame shape", "Empty frame",
        "Missing model feature", "Duplicate column", "Duplicate key", "Invalid value", "Invalid row", "Row label too long",
        "Too many rows", "Frame too large", "Request body too large", "Unreadable request body", "Unsupported media type",
        "Unsupported content encoding", "Invalid query parameter", "Model not loaded", "Too many large requests",
        "Invalid inference request", "Unknown output", Other,
    ];

    /// <summary>Classes counted one by one in the predicted-class counter; higher ones count as "other".</summary>
    public const int CountedClasses = 16;

    /// <summary>Upper bounds (seconds) of the request latency histogram's buckets.</summary>
    public static readonly double[] LatencyBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Upper bounds of the predicted probability histogram's buckets (0.1 wide).</summary>
    public static readonly double[] ProbabilityBounds = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];

    private static readonly FrozenDictionary<string, int> RouteIndex = Index(Routes);
    private static readonly FrozenDictionary<string, int> ProblemIndex = Index(Problems);

    public static int Route(string? pattern) => pattern is not null && RouteIndex.TryGetValue(pattern, out var i) ? i : Routes.Length - 1;

    public static int Problem(string title) => ProblemIndex.TryGetValue(title, out var i) ? i : Problems.Length - 1;

    /// <summary>The status's index; <see cref="Statuses"/>.Length for any other.</summary>
    public static int Status(int status)
    {
        var i = Array.IndexOf(Statuses, status);
        return i < 0 ? Statuses.Length : i;
    }

    private static FrozenDictionary<string, int> Index(string[] values) =>
        values.Select((value, i) => KeyValuePair.Create(value, i)).ToFrozenDictionary(StringComparer.Ordinal);
}
