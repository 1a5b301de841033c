namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Keeps a supervised worker from accepting connections before it is ready. Its slot's socket is shared with
/// the worker it replaces (or simply waits for it after a crash): connections left in the queue are served by a
/// ready worker, instead of being taken by one that would answer 503 while its model loads.
/// </summary>
internal sealed class AcceptGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static AcceptGate Opened()
    {
        var gate = new AcceptGate();
        gate.Open();
        return gate;
    }

    public Task WhenOpen => _open.Task;

    public void Open() => _open.TrySetResult();
}
