namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Keeps a supervised worker from accepting connections before it is ready. Its slot's socket is shared with
/// the worker it replaces (or simply waits for it after a crash): connections left in the queue are served by a
/// ready worker, instead of being taken by one that would answer 503 while its model loads. The worker listens
/// (and so puts a new master's socket in the port's group) only once the gate is open: the master hears "ready"
/// only after that, so a connection made once it is ready is never refused.
/// </summary>
internal sealed class AcceptGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static AcceptGate Opened()
    {
        var gate = new AcceptGate();
        gate.Open();
        return gate;
    }

    public Task WhenOpen => _open.Task;

    public void Open() => _open.TrySetResult();

    /// <summary>The worker's socket listens.</summary>
    public Task WhenListening => _listening.Task;

    public void Listening() => _listening.TrySetResult();
}
