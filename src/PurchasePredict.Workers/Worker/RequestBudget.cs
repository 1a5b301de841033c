namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Counts requests for MAX_REQUESTS: at the limit the worker asks the master for a successor (once) and keeps
/// serving until it is told to drain, so no request fails. Also where the test-only hang switch fires.
/// </summary>
internal sealed class RequestBudget(Action askForSuccessor, long? recycleAfter, long? hangAfter)
{
    private readonly TestHang _hang = new();
    private long _served;

    public bool IsActive => recycleAfter is not null || hangAfter is not null;

    /// <summary>MAX_REQUESTS plus a random 0..MAX_REQUESTS_JITTER, so workers started together do not recycle together.</summary>
    public static RequestBudget For(HostSettings settings, MasterLink? link, Random random) =>
        new(() => link?.Send(WorkerMessage.RecycleMe),
            link is not null && settings.MaxRequests > 0 ? settings.MaxRequests + random.Next(0, settings.MaxRequestsJitter + 1) : null,
            settings.TestHangAfterRequests);

    /// <summary>Called as each request starts; a non-null task is one the request must await (the test hang).</summary>
    public Task? OnRequest()
    {
        var served = Interlocked.Increment(ref _served);
        if (served == recycleAfter)
            askForSuccessor();
        return served > hangAfter ? _hang.Engage() : null;
    }
}
