using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using PurchasePredict.Workers.Logs;
using PurchasePredict.Workers.Metrics;
using PurchasePredict.Workers.Native;

namespace PurchasePredict.Workers.Master;

/// <summary>
/// The master's handle on one worker process: starts it with its slot's socket and a message pipe,
/// turns what the worker says and its exit into <see cref="MasterEvent"/>s, and keeps what the loop
/// needs to decide about it. Only the loop mutates it (the reader tasks only enqueue).
/// </summary>
internal sealed class WorkerProcess
{
    private readonly Process _process;
    private readonly AnonymousPipeServerStream _pipe;
    private volatile string? _lastError;

    private WorkerProcess(Process process, AnonymousPipeServerStream pipe, int slot, int lane, int generation, long now)
    {
        _process = process;
        _pipe = pipe;
        Pid = process.Id;
        Slot = slot;
        Lane = lane;
        Generation = generation;
        StartedAt = now;
        LastSeen = now;
    }

    public int Pid { get; }
    public int Slot { get; }

    /// <summary>The worker's lane in the metrics segment.</summary>
    public int Lane { get; }

    /// <summary>The reload generation (SIGHUP count) the worker was started in: it read the model source then.</summary>
    public int Generation { get; }

    public long StartedAt { get; }

    /// <summary>When the master last heard from the worker (monotonic milliseconds).</summary>
    public long LastSeen { get; set; }

    public bool IsReady { get; set; }

    /// <summary>The worker asked to be recycled (MAX_REQUESTS).</summary>
    public bool RecycleRequested { get; set; }

    /// <summary>A successor failed to boot: keep this worker serving until the next SIGHUP.</summary>
    public bool KeepServing { get; set; }

    /// <summary>Set once the worker was told to drain: the deadline by which it must have exited.</summary>
    public long? DrainDeadline { get; private set; }

    public bool KillSent { get; private set; }

    /// <summary>The worker said its accept loop has ended (it drains).</summary>
    public bool StoppedAccepting { get; set; }

    /// <summary>
    /// Replaced by a successor (reload or recycle): what the master logs once this worker accepts no more, since until
    /// then a new connection on the slot may still reach it.
    /// </summary>
    public (string Event, int SuccessorPid)? Takeover { get; set; }

    /// <summary>The worker's last line on stderr: the reason it gave for failing, if it failed.</summary>
    public string? LastError => _lastError;

    public static WorkerProcess Start(
        WorkerCommand command, int slot, int generation, Socket listenSocket, SharedMetrics metrics, int lane, ChannelWriter<MasterEvent> events, long now)
    {
        var pipe = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.Inheritable);
        try
        {
            var process = StartWithInheritedHandles(command, listenSocket, pipe, metrics, slot, lane);
            var worker = new WorkerProcess(process, pipe, slot, lane, generation, now);
            var stderr = worker.ForwardStderrAsync();
            _ = worker.ReadMessagesAsync(events);
            _ = worker.WatchExitAsync(stderr, events);
            return worker;
        }
        catch
        {
            pipe.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The child inherits exactly three extra descriptors: dups of the slot's socket and of the metrics segment (dup
    /// clears FD_CLOEXEC) and the pipe's write end. All are closed here right after the start, so no later worker
    /// inherits them. Only the master's loop starts processes, so no other child can be started in between.
    /// </summary>
    private static Process StartWithInheritedHandles(
        WorkerCommand command, Socket listenSocket, AnonymousPipeServerStream pipe, SharedMetrics metrics, int slot, int lane)
    {
        var listenFd = Dup((int)listenSocket.Handle, "the listening socket");
        var metricsFd = -1;
        try
        {
            metricsFd = Dup(metrics.Fd, "the metrics segment");
            var startInfo = command.ToStartInfo();
            startInfo.RedirectStandardError = true;
            startInfo.Environment[WorkerEnvironment.PipeFd] = pipe.GetClientHandleAsString();
            startInfo.Environment[WorkerEnvironment.ListenFd] = Text(listenFd);
            startInfo.Environment[WorkerEnvironment.MetricsFd] = Text(metricsFd);
            startInfo.Environment[WorkerEnvironment.MetricsLanes] = Text(metrics.Segment.Lanes);
            startInfo.Environment[WorkerEnvironment.MetricsLane] = Text(lane);
            startInfo.Environment[WorkerEnvironment.Slot] = Text(slot);
            var process = Process.Start(startInfo) ?? throw new IOException($"could not start {command.FileName}");
            process.EnableRaisingEvents = true;
            return process;
        }
        finally
        {
            Libc.Close(listenFd);
            if (metricsFd >= 0) Libc.Close(metricsFd);
            pipe.DisposeLocalCopyOfClientHandle();
        }
    }

    private static int Dup(int fd, string what)
    {
        var copy = Libc.Dup(fd);
        return copy >= 0 ? copy : throw new IOException($"dup of {what} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Graceful stop: the worker stops accepting, finishes in-flight requests within GRACEFUL_TIMEOUT, exits.</summary>
    public void Drain(long deadline)
    {
        DrainDeadline ??= deadline;
        Libc.Kill(Pid, Libc.SIGTERM);
    }

    public void Kill()
    {
        KillSent = true;
        Libc.Kill(Pid, Libc.SIGKILL);
    }

    // Passed through to the master's stderr, so docker and journald show the workers' errors; the last line is kept.
    // Redacted here too: the host cannot know that every app it runs keeps credentials out of its errors.
    private async Task ForwardStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } raw)
        {
            var line = Redaction.Text(raw);
            await Console.Error.WriteLineAsync(line).ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(line))
                _lastError = line;
        }
    }

    private async Task ReadMessagesAsync(ChannelWriter<MasterEvent> events)
    {
        var buffer = new byte[64];
        try
        {
            int read;
            while ((read = await _pipe.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                for (var i = 0; i < read; i++)
                    events.TryWrite(new WorkerMessageReceived(this, (WorkerMessage)buffer[i]));
        }
        catch (IOException)
        {
            // The worker died mid-write; its exit is reported by WatchExitAsync.
        }
        finally
        {
            await _pipe.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task WatchExitAsync(Task stderr, ChannelWriter<MasterEvent> events)
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        // Let the last stderr line (the boot error, typically) arrive before the exit is handled.
        await Task.WhenAny(stderr, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
        var status = ExitStatus.FromExitCode(_process.ExitCode);
        _process.Dispose();
        events.TryWrite(new WorkerExited(this, status));
    }
}
