using System.Collections.Concurrent;
using System.Diagnostics;

namespace PurchasePredict.Api.Tests.Support;

/// <summary>The service as its own process (<c>dotnet purchase_predict_api.dll</c>), with its stdout and stderr captured.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private static readonly Lazy<string> EmptyHome = new(() => Directory.CreateTempSubdirectory("service-home-").FullName);

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public HttpClient Http { get; }

    public IReadOnlyList<string> Stdout => [.. _stdout];

    public IReadOnlyList<string> Stderr => [.. _stderr];

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the test build with exactly these environment variables added (PORT defaults to a free port).</summary>
    public static ServiceProcess Start(IDictionary<string, string> environment, params string[] args) =>
        Start(ServiceBuild.Test, environment, args);

    /// <summary>Starts a build of the service with exactly these environment variables added (PORT defaults to a free port).</summary>
    public static ServiceProcess Start(ServiceBuild build, IDictionary<string, string> environment, params string[] args) =>
        Start(build, environment, readStdout: true, args);

    /// <summary>
    /// The same; with <paramref name="readStdout"/> false nobody reads its stdout, so the pipe fills as a stalled log
    /// reader's would (journald or docker's log chain falling behind).
    /// </summary>
    public static ServiceProcess Start(ServiceBuild build, IDictionary<string, string> environment, bool readStdout, params string[] args)
    {
        // A PORT given by the test is passed as is (it may be deliberately invalid).
        var port = environment.TryGetValue("PORT", out var given) && int.TryParse(given, out var p) && p is > 0 and < 65536 ? p : FreePort.Next();
        var start = new ProcessStartInfo(build.Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in build.Arguments.Concat(args)) start.ArgumentList.Add(arg);
        // Nothing from the test runner's environment may choose the model, the storage or a credential:
        // not even gcloud's application-default login in $HOME, which Google's libraries would pick first.
        foreach (var key in new[] { "MODEL_URI", "MLFLOW_SERVER", "MLFLOW_REGISTRY_NAME", "ENV", "STORAGE_EMULATOR_HOST", "STORAGE_ENDPOINT",
                     "GOOGLE_APPLICATION_CREDENTIALS", "GCE_METADATA_HOST", "MAX_ROWS", "MAX_BODY_BYTES", "WORKERS" })
            start.Environment.Remove(key);
        start.Environment["HOME"] = EmptyHome.Value;
        start.Environment["PORT"] = port.ToString();
        // These tests are about one API process; the master/worker host has its own (tests/PurchasePredict.Workers.Tests).
        start.Environment["WORKERS"] = "1";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process, port);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) service._stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) service._stderr.Enqueue(e.Data); };
        process.Start();
        if (readStdout) process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits until /health/ready answers 200; fails with the process's output if it exits first.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                Assert.Fail($"service exited with {_process.ExitCode}; stderr: {string.Join(" | ", Stderr)}");
            try
            {
                using var response = await Http.GetAsync("health/ready");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50);
        }
        Assert.Fail($"service not ready within the timeout; stdout: {string.Join(" | ", Stdout)}; stderr: {string.Join(" | ", Stderr)}");
    }

    /// <summary>
    /// Stdout once a wanted line has arrived, or after 5 s: log lines are written asynchronously, so one may
    /// still be on its way when the request that caused it has been answered.
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitForStdoutAsync(Func<string, bool> wanted)
    {
        for (var i = 0; i < 200 && !Stdout.Any(wanted); i++) await Task.Delay(25);
        return Stdout;
    }

    /// <summary>Stdout once <paramref name="count"/> log lines of event <paramref name="eventId"/> have arrived, or after 10 s.</summary>
    public async Task<IReadOnlyList<string>> WaitForEventsAsync(int eventId, int count)
    {
        var marker = $"\"EventId\":{eventId},";
        for (var i = 0; i < 400 && Stdout.Count(line => line.Contains(marker, StringComparison.Ordinal)) < count; i++) await Task.Delay(25);
        return Stdout;
    }

    /// <summary>Sends a signal by name (<c>HUP</c>, <c>TERM</c>) with kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString()]);
        await kill.WaitForExitAsync();
        Assert.That(kill.ExitCode, Is.EqualTo(0), $"kill -{signal} {_process.Id}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
