namespace PurchasePredict.Workers.TestApp;

/// <summary>The test app's "model": a file's text, or why it could not be loaded.</summary>
public sealed class TestModel
{
    private volatile string? _text;

    public string? Text => _text;

    public string? Failure { get; private set; }

    public void Set(string text) => _text = text;

    public void Fail(string reason) => Failure = reason;
}

/// <summary>Loads the model once the server listens, as the API does; a bad one stops the app.</summary>
public sealed class TestModelLoader(TestModel model, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        var path = Environment.GetEnvironmentVariable(TestApp.ModelFileVariable);
        var text = path is null ? "none" : (await File.ReadAllTextAsync(path, stoppingToken)).Trim();
        if (text.StartsWith("bad", StringComparison.Ordinal))
        {
            model.Fail($"model {path} is invalid: '{text}'");
            await Console.Error.WriteLineAsync($"test app: cannot load the model: {model.Failure}");
            lifetime.StopApplication();
            return;
        }
        model.Set(text);
    }
}
