namespace PurchasePredict.Workers.TestApp;

/// <summary>
/// A start that takes a while (TEST_START_DELAY_MS), like a slow bind: a test stops the worker in the middle of it.
/// The line on stderr tells the test the host is starting (its signal handlers are in place).
/// </summary>
public sealed class SlowStart(int delayMs) : IHostedService
{
    public const string Began = "slow start began";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Console.Error.WriteLineAsync(Began);
        await Task.Delay(delayMs, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
