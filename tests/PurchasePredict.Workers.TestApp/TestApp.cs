using Microsoft.AspNetCore.Http.HttpResults;

namespace PurchasePredict.Workers.TestApp;

/// <summary>
/// Stands in for the API in the host's tests. Like the API it reads a "model" once at boot, from the file
/// in TEST_MODEL_FILE, and refuses to boot when that file is bad, so reload and boot failure can be tested.
/// </summary>
public static class TestApp
{
    public const string ModelFileVariable = "TEST_MODEL_FILE";

    public static WebApplication Build(WorkerContext worker)
    {
        var model = LoadModel(Environment.GetEnvironmentVariable(ModelFileVariable));
        var builder = WebApplication.CreateSlimBuilder(worker.Args);
        builder.Logging.ClearProviders();
        worker.Configure(builder);
        var app = builder.Build();
        app.MapGet("/", () => "OK");
        app.MapGet("/pid", () => Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        app.MapGet("/model", () => model);
        app.MapGet("/slow", Slow);
        return app;
    }

    public const string SlowRequestStarted = "slow request started";

    // The line on stderr tells a test the request is in flight inside a worker (the master forwards stderr).
    private static async Task<Ok<string>> Slow(int ms)
    {
        await Console.Error.WriteLineAsync(SlowRequestStarted);
        await Task.Delay(ms);
        return TypedResults.Ok($"slept {ms} ms");
    }

    private static string LoadModel(string? path)
    {
        if (path is null)
            return "none";
        var text = File.ReadAllText(path).Trim();
        if (text.StartsWith("bad", StringComparison.Ordinal))
            throw new InvalidDataException($"model {path} is invalid: '{text}'");
        return text;
    }
}
