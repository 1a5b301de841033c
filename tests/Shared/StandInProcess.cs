using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

/// <summary>
/// A sandbox stand-in as its own process (a gcp-sandbox command, or the storage emulator's start.sh),
/// started the way the sandbox starts it, with stdout and stderr captured. Ready once it printed its
/// <c>... ready on http://127.0.0.1:PORT</c> line; killed with its children on dispose.
/// </summary>
internal sealed partial class StandInProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private int _disposed;

    private StandInProcess(Process process) => _process = process;

    /// <summary>Where it listens, from its ready line.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Everything it printed so far, stdout and stderr, line by line.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    public int Id => _process.Id;

    /// <summary><c>dotnet gcp-sandbox.dll COMMAND ARGS</c>, ready when it says so.</summary>
    public static Task<StandInProcess> StartGcpSandboxAsync(params string[] args) =>
        StartAsync("dotnet", [TestRepository.GcpSandboxDll, .. args], TimeSpan.FromSeconds(30));

    public static async Task<StandInProcess> StartAsync(string program, IEnumerable<string> args, TimeSpan timeout)
    {
        var process = Start(program, args);
        var standIn = new StandInProcess(process);
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            standIn._output.Enqueue(e.Data);
            if (ReadyLine().Match(e.Data) is { Success: true } match) ready.TrySetResult(new Uri(match.Groups[1].Value + "/"));
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) standIn._output.Enqueue(e.Data); };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("exited before it was ready"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            standIn.Address = await ready.Task.WaitAsync(timeout);
            return standIn;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            await standIn.DisposeAsync();
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} did not get ready ({e.Message}): {string.Join(" | ", standIn.Output)}");
        }
    }

    /// <summary>Runs a command to its end (e.g. gcp-sandbox create-key): exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, params string[] args)
    {
        using var process = Start(program, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await stdout, await stderr);
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunGcpSandboxAsync(params string[] args) =>
        RunAsync("dotnet", [TestRepository.GcpSandboxDll, .. args]);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    private static Process Start(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    [GeneratedRegex(@" ready on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ReadyLine();

    /// <summary>Stops it; a second call (a test stopped it early, the fixture again at the end) does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
