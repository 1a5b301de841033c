namespace PurchasePredict.Workers.Master;

/// <summary>
/// Restarts of a slot whose workers die before they are ready wait longer each time. A slot that failed
/// <see cref="MaxAttempts"/> times in a row is "failing": it keeps being retried, less and less often, while other
/// slots serve; once every slot is failing the master gives up, so a bad model ends the service with a clear error
/// instead of a restart loop hidden inside a "running" service.
/// </summary>
internal static class BootBackoff
{
    /// <summary>Consecutive boot failures after which a slot counts as failing.</summary>
    public const int MaxAttempts = 5;

    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);

    /// <summary>A failing slot beside serving ones is retried this often at most: two error lines a minute, not a flood.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    /// <summary>The wait before the next attempt after <paramref name="failures"/> consecutive failures (1-based): 0.25 s, 0.5 s, 1 s... 30 s.</summary>
    public static TimeSpan DelayAfter(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var delay = First * Math.Pow(2, Math.Min(failures - 1, 16));
        return delay < Longest ? delay : Longest;
    }

    public static bool IsFailing(int failures) => failures >= MaxAttempts;
}
