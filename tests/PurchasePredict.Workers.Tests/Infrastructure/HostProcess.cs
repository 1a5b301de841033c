using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace PurchasePredict.Workers.Tests.Infrastructure;

/// <summary>
/// A program run under the worker host as a real process on 127.0.0.1: its stdout JSON events and its stderr
/// are collected; disposing kills the master and every worker it reported, so no test leaves processes behind.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    private static readonly string[] InheritedVariablesToDrop =
    [
        "WORKERS", "WORKER_TIMEOUT", "GRACEFUL_TIMEOUT", "MAX_REQUESTS", "MAX_REQUESTS_JITTER", HostSettings.TestHangVariable,
        "MODEL_URI", "MLFLOW_SERVER", "MLFLOW_REGISTRY_NAME", "ENV", "STORAGE_EMULATOR_HOST",
    ];

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<JsonElement> _events = [];
    private readonly List<string> _stderr = [];
    private readonly List<string> _stdout = [];

    private HostProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public int Pid => _process.Id;
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public static string TestAppDll => BuildPath("TestAppDll");

    public static string ApiDll => BuildPath("ApiDll");

    public static string DemoModelDir => BuildPath("DemoModelDir");

    /// <summary>Paths the test project's build wrote into the assembly (see the .csproj).</summary>
    private static string BuildPath(string key) => Path.GetFullPath(typeof(HostProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value!);

    /// <summary>
    /// Starts `dotnet DLL` with PORT set to a free port plus the given variables. With <paramref name="ownProcessGroup"/>
    /// it runs under setsid(1), so a signal can go to its whole process group (master and workers) and to nothing else.
    /// </summary>
    public static HostProcess Start(string dll, IReadOnlyDictionary<string, string> environment, bool ownProcessGroup = false)
    {
        var port = FreePort.Next();
        // setsid execs in place (the child is not a group leader), so the pid is still the master's.
        var startInfo = new ProcessStartInfo(ownProcessGroup ? "setsid" : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (ownProcessGroup)
            startInfo.ArgumentList.Add("dotnet");
        startInfo.ArgumentList.Add(dll);
        // Nothing from the test runner's environment may change the host or choose the model.
        foreach (var name in InheritedVariablesToDrop)
            startInfo.Environment.Remove(name);
        startInfo.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in environment)
            startInfo.Environment[name] = value;

        var host = new HostProcess(Process.Start(startInfo)!, port);
        host._process.OutputDataReceived += (_, line) => host.OnStdout(line.Data);
        host._process.ErrorDataReceived += (_, line) => host.OnStderr(line.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    public static HostProcess StartTestApp(IReadOnlyDictionary<string, string> environment, bool ownProcessGroup = false) =>
        Start(TestAppDll, environment, ownProcessGroup);

    private void OnStdout(string? line)
    {
        if (line is not null)
            lock (_gate)
                _stdout.Add(line);
        // Only the master's events: the workers' own log lines (one per request for the API) are not parsed.
        if (line is null || !line.Contains($"\"Category\":\"{Master.LifecycleLog.Category}\"", StringComparison.Ordinal))
            return;
        try
        {
            var element = JsonDocument.Parse(line).RootElement.Clone();
            lock (_gate)
                _events.Add(element);
        }
        catch (JsonException e)
        {
            lock (_gate)
                _stderr.Add($"test: master event is not JSON ({e.Message}): {line}");
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            _stderr.Add(line);
    }

    public List<string> StdoutLines()
    {
        lock (_gate)
            return [.. _stdout];
    }

    public string Stderr
    {
        get { lock (_gate) return string.Join('\n', _stderr); }
    }

    /// <summary>The master's events named <paramref name="name"/> so far.</summary>
    public List<JsonElement> Events(string name)
    {
        lock (_gate)
            return [.. _events.Where(e => e.Name() == name)];
    }

    public string AllEvents()
    {
        lock (_gate)
            return string.Join('\n', _events.Select(e => e.GetRawText()));
    }

    /// <summary>Waits until at least <paramref name="count"/> events named <paramref name="name"/> match.</summary>
    public async Task<List<JsonElement>> WaitForEvents(string name, int count, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var found = Events(name).Where(match ?? (_ => true)).ToList();
            if (found.Count >= count)
                return found;
            if (deadline.Elapsed > (timeout ?? DefaultWait))
                Assert.Fail($"no {count} '{name}' event(s) within {(timeout ?? DefaultWait).TotalSeconds} s; events:\n{AllEvents()}\nstderr:\n{Stderr}");
            await Task.Delay(10);
        }
    }

    public async Task<JsonElement> WaitForEvent(string name, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null) =>
        (await WaitForEvents(name, 1, match, timeout))[0];

    /// <summary>Waits for every slot to have a ready worker at least once: the service is up.</summary>
    public Task WaitUntilServing(int workers) => WaitForEvents("worker_ready", workers);

    public void Signal(int signal) => Posix.Kill(Pid, signal);

    /// <summary>A signal to the master's whole process group (started with ownProcessGroup): master and workers at once.</summary>
    public void SignalProcessGroup(int signal) => Posix.Kill(-Pid, signal);

    /// <summary>Waits for the process to exit; null if it did not within the timeout.</summary>
    public async Task<int?> WaitForExit(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Pids of every worker the master reported starting.</summary>
    public List<int> StartedWorkerPids() => [.. Events("worker_started").Select(e => e.Pid())];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            Posix.TryKill(Pid);
        // Only workers the master did not report as exited: an old pid may belong to someone else by now.
        var exited = Events("worker_exited").Select(e => e.Pid()).ToHashSet();
        foreach (var pid in StartedWorkerPids().Where(pid => !exited.Contains(pid)))
            Posix.TryKill(pid);
        await WaitForExit(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }
}
