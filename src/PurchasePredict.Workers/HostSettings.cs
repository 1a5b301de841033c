using System.Globalization;

namespace PurchasePredict.Workers;

/// <summary>
/// The host's settings, read from the environment once at start and validated there,
/// so a bad value stops the process with one line naming the variable instead of a half-started service.
/// </summary>
public sealed record HostSettings(
    int Workers,
    int Port,
    TimeSpan WorkerTimeout,
    TimeSpan GracefulTimeout,
    int MaxRequests,
    int MaxRequestsJitter,
    int? TestHangAfterRequests)
{
    public const int DefaultWorkers = 4;
    public const int DefaultPort = 8080;
    public const int DefaultWorkerTimeoutSeconds = 30;
    public const int DefaultGracefulTimeoutSeconds = 30;

    /// <summary>Test-only switch: a worker stops serving (its thread pool starves) after this many requests.</summary>
    public const string TestHangVariable = "PURCHASE_PREDICT_TEST_HANG_AFTER_REQUESTS";

    /// <summary>A sanity bound: more workers than this is a typo, not a deployment.</summary>
    private const int MaxWorkers = 256;

    /// <summary>How often a worker tells the master it is alive: often enough that a few lost beats never trip the timeout.</summary>
    public TimeSpan HeartbeatInterval =>
        TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, WorkerTimeout.Ticks / 3));

    public static HostSettings FromEnvironment() =>
        From(Environment.GetEnvironmentVariable, Environment.ProcessorCount);

    public static HostSettings From(Func<string, string?> variable, int processorCount) =>
        new(
            Workers: ParseWorkers(variable("WORKERS"), processorCount),
            Port: ParsePort(variable("PORT")),
            WorkerTimeout: TimeSpan.FromSeconds(ParseInt(variable, "WORKER_TIMEOUT", DefaultWorkerTimeoutSeconds, min: 1, max: 86400)),
            GracefulTimeout: TimeSpan.FromSeconds(ParseInt(variable, "GRACEFUL_TIMEOUT", DefaultGracefulTimeoutSeconds, min: 0, max: 86400)),
            MaxRequests: ParseInt(variable, "MAX_REQUESTS", 0, min: 0, max: int.MaxValue / 2),
            MaxRequestsJitter: ParseInt(variable, "MAX_REQUESTS_JITTER", 0, min: 0, max: int.MaxValue / 2),
            TestHangAfterRequests: variable(TestHangVariable) is null ? null : ParseInt(variable, TestHangVariable, 0, min: 1, max: int.MaxValue));

    private static int ParseWorkers(string? raw, int processorCount)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return DefaultWorkers;
        if (raw.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase))
            return processorCount;
        if (int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var workers) && workers is >= 1 and <= MaxWorkers)
            return workers;
        throw new SettingsException($"WORKERS='{raw}' is invalid: expected 'auto' or a whole number from 1 to {MaxWorkers}");
    }

    /// <summary>The port rule the pipeline checks servicePort with too (src/Shared/PortNumber.cs).</summary>
    private static int ParsePort(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return DefaultPort;
        if (PortNumber.TryParse(raw, out var port))
            return port;
        throw new SettingsException($"PORT='{raw}' is invalid: expected a whole number from {PortNumber.Min} to {PortNumber.Max}");
    }

    private static int ParseInt(Func<string, string?> variable, string name, int fallback, int min, int max)
    {
        var raw = variable(name);
        if (string.IsNullOrWhiteSpace(raw))
            return fallback;
        if (int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        throw new SettingsException($"{name}='{raw}' is invalid: expected a whole number from {min} to {max}");
    }
}
