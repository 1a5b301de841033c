namespace PurchasePredict.Workers.Master;

/// <summary>
/// Restarts of a slot whose workers die before they are ready wait longer each time, and stop after a bound:
/// a bad model then ends the master with a clear error instead of a restart loop hidden inside a "running" service.
/// </summary>
internal static class BootBackoff
{
    /// <summary>Consecutive boot failures of one slot after which the master gives up.</summary>
    public const int MaxAttempts = 5;

    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(4);

    /// <summary>The wait before the next attempt after <paramref name="failures"/> consecutive failures (1-based): 0.25 s, 0.5 s, 1 s...</summary>
    public static TimeSpan DelayAfter(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var delay = First * Math.Pow(2, Math.Min(failures - 1, 16));
        return delay < Longest ? delay : Longest;
    }

    public static bool ShouldGiveUp(int failures) => failures >= MaxAttempts;
}
