using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PurchasePredict.Workers.TestApp;

/// <summary>
/// Stands in for the API in the host's tests, shaped like it: it listens on PORT itself, loads its "model"
/// (the text of the file in TEST_MODEL_FILE) once it has started, is ready only then, and stops with exit
/// code 4 and one line on stderr when the model is bad.
/// </summary>
public static class TestApp
{
    public const string ModelFileVariable = "TEST_MODEL_FILE";
    public const string StartDelayVariable = "TEST_START_DELAY_MS";
    public const int ModelLoadFailed = 4;
    public const string SlowRequestStarted = "slow request started";

    public const int BadSettings = 2;

    public static int Run(WorkerContext worker)
    {
        if (Environment.GetEnvironmentVariable(ModelFileVariable) is "")
        {
            Console.Error.WriteLine($"test app: {ModelFileVariable} is empty");
            return BadSettings;
        }
        var builder = WebApplication.CreateSlimBuilder(worker.Args);
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://0.0.0.0:{Environment.GetEnvironmentVariable("PORT")}");
        builder.Services.AddSingleton<TestModel>();
        builder.Services.AddHostedService<TestModelLoader>();
        if (int.TryParse(Environment.GetEnvironmentVariable(StartDelayVariable), out var startDelayMs))
            builder.Services.AddHostedService(_ => new SlowStart(startDelayMs));
        worker.Configure(builder);

        var app = builder.Build();
        var model = app.Services.GetRequiredService<TestModel>();
        app.MapGet("/", () => "OK");
        app.MapGet("/pid", () => Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        app.MapGet("/processors", () => $"{Environment.ProcessId} {Environment.ProcessorCount}");
        app.MapGet("/model", () => model.Text is { } text ? Results.Text(text) : Results.StatusCode(503));
        app.MapGet("/slow", Slow);
        app.MapGet("/log", (int chars) => Console.Out.WriteLine(LogLine(Environment.ProcessId, chars)));
        app.Run();
        return model.Failure is null ? 0 : ModelLoadFailed;
    }

    /// <summary>A JSON log line of about <paramref name="chars"/> characters, for checking lines never interleave.</summary>
    public static string LogLine(int pid, int chars) => $"{{\"pid\":{pid},\"padding\":\"{new string('x', chars)}\"}}";

    public static bool IsReady(IServiceProvider services) => services.GetRequiredService<TestModel>().Text is not null;

    /// <summary>SIGHUP with WORKERS=1: reads the model file again, as the API reloads its model.</summary>
    public static void Reload(IServiceProvider services) =>
        services.GetRequiredService<TestModel>().Set(File.ReadAllText(Environment.GetEnvironmentVariable(ModelFileVariable)!).Trim());

    // The line on stderr tells a test the request is in flight inside a worker (the master forwards stderr).
    private static async Task<Ok<string>> Slow(int ms)
    {
        await Console.Error.WriteLineAsync(SlowRequestStarted);
        await Task.Delay(ms);
        return TypedResults.Ok($"slept {ms} ms");
    }
}
