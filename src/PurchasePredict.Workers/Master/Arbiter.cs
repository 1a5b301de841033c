using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace PurchasePredict.Workers.Master;

/// <summary>
/// The master, after gunicorn's arbiter: signal handlers and pipe readers only enqueue events; this one loop
/// handles them and, on every tick, kills silent workers and brings every slot back to one ready worker.
/// A slot without a ready worker takes its socket out of the port's group; the master gives up only when
/// every slot fails to boot.
/// </summary>
internal sealed class Arbiter(HostSettings settings, WorkerCommand command, LifecycleLog log, SharedMetrics metrics)
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Time a worker gets beyond GRACEFUL_TIMEOUT to exit by itself before it is killed.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long connections may wait in the queue of a slot whose worker exited, for its replacement (about 0.8 s
    /// here): those are served, not reset. A replacement that fails to boot, or is not ready by then, takes the slot
    /// out of the port's group.
    /// </summary>
    private static readonly TimeSpan ReplacementGrace = TimeSpan.FromSeconds(1);

    private readonly Channel<MasterEvent> _events = Channel.CreateUnbounded<MasterEvent>();
    private readonly List<WorkerProcess> _draining = [];
    private Slot[] _slots = [];
    private ListenSockets? _sockets;
    private bool _listening = true;
    private int _generation;
    private long? _stopDeadline;
    private bool _stopForced;
    private int _exitCode = ExitCodes.Ok;
    /// <summary>Why the master gave up, for its last line on stderr.</summary>
    private string? _failure;

    private static long Now => Environment.TickCount64;

    public int Run()
    {
        ListenSockets sockets;
        try
        {
            sockets = ListenSockets.Bind(settings.Workers, settings.Port);
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"master cannot listen on port {settings.Port}: {e.Message}");
            return ExitCodes.CannotListen;
        }

        using (sockets)
        using (new SignalQueue(_events.Writer))
        {
            _sockets = sockets;
            _slots = [.. Enumerable.Range(0, settings.Workers).Select(index => new Slot(index, sockets[index]))];
            log.Info("master_started", ("Pid", Environment.ProcessId), ("Workers", settings.Workers), ("Port", settings.Port));
            var exitCode = LoopAsync().GetAwaiter().GetResult();
            if (_failure is not null)
                Console.Error.WriteLine($"master gave up: {_failure}");
            log.Info("master_stopped", ("ExitCode", exitCode));
            return exitCode;
        }
    }

    private async Task<int> LoopAsync()
    {
        Task<bool>? pending = null;
        while (true)
        {
            pending ??= _events.Reader.WaitToReadAsync().AsTask();
            await Task.WhenAny(pending, Task.Delay(TickInterval)).ConfigureAwait(false);
            if (pending.IsCompleted)
                pending = null;
            while (_events.Reader.TryRead(out var @event))
                Handle(@event);
            if (Tick())
                return _exitCode;
        }
    }

    private void Handle(MasterEvent @event)
    {
        switch (@event)
        {
            case SignalReceived { Signal: PosixSignal.SIGHUP }:
                Reload();
                break;
            case SignalReceived signal:
                BeginStop($"received {signal.Signal}");
                break;
            case WorkerMessageReceived message:
                OnMessage(message.Worker, message.Message);
                break;
            case WorkerExited exited:
                OnExited(exited.Worker, exited.Status);
                break;
        }
    }

    private void OnMessage(WorkerProcess worker, WorkerMessage message)
    {
        worker.LastSeen = Now;
        var slot = _slots[worker.Slot];
        switch (message)
        {
            case WorkerMessage.Ready:
                worker.IsReady = true;
                slot.BootFailures = 0;
                log.Info("worker_ready", ("Pid", worker.Pid), ("Slot", slot.Index), ("BootMs", Now - worker.StartedAt));
                slot.UnservedSince = null;
                if (!slot.Listening)
                {
                    // The worker has put the slot's socket back in the port's group (it listens once ready).
                    slot.Listening = true;
                    log.Info("slot_up", ("Slot", slot.Index), ("Pid", worker.Pid));
                }
                if (slot.Successor == worker)
                    Promote(slot);
                break;
            case WorkerMessage.StoppedAccepting:
                worker.StoppedAccepting = true;
                LogTakeover(worker);
                break;
            case WorkerMessage.RecycleMe when slot.Active == worker && !worker.RecycleRequested:
                worker.RecycleRequested = true;
                log.Info("recycle_requested", ("Pid", worker.Pid), ("Slot", slot.Index), ("MaxRequests", settings.MaxRequests));
                break;
        }
    }

    /// <summary>
    /// The successor is ready: it takes the slot, the worker it replaces drains. The takeover is logged once the old
    /// worker has stopped accepting (or exited): from that line on, every new connection of the slot reaches the
    /// successor, which is what a reload's probe and the tests read it as.
    /// </summary>
    private void Promote(Slot slot)
    {
        var old = slot.Active!;
        var successor = slot.Successor!;
        slot.Active = successor;
        slot.Successor = null;
        old.Takeover = (successor.Generation > old.Generation ? "worker_reloaded" : "worker_recycled", successor.Pid);
        Drain(old);
    }

    private void LogTakeover(WorkerProcess old)
    {
        if (old.Takeover is not { } takeover)
            return;
        old.Takeover = null;
        log.Info(takeover.Event, ("Slot", old.Slot), ("OldPid", old.Pid), ("Pid", takeover.SuccessorPid));
    }

    private void Drain(WorkerProcess worker)
    {
        _draining.Add(worker);
        worker.Drain(Now + (long)(settings.GracefulTimeout + ExitGrace).TotalMilliseconds);
    }

    private void OnExited(WorkerProcess worker, ExitStatus status)
    {
        // A replaced worker that exited without saying it stopped accepting (killed at its deadline, crashed).
        LogTakeover(worker);
        metrics.Exited(worker.Lane, LiveWorkers().Where(other => other != worker).Select(other => other.Lane));
        log.Info("worker_exited", ("Pid", worker.Pid), ("Slot", worker.Slot),
            ("Code", status.Code), ("Signal", status.Signal), ("Ready", worker.IsReady));
        if (_draining.Remove(worker))
            return;

        var slot = _slots[worker.Slot];
        if (slot.Successor == worker)
        {
            // A replacement died before it was ready: the serving worker stays, the reload or recycle is abandoned.
            slot.Successor = null;
            if (IsStopping)
                return;
            slot.Active!.KeepServing = true;
            log.Error("replacement_failed", ("Slot", slot.Index), ("Pid", worker.Pid), ("KeptPid", slot.Active.Pid),
                ("Error", ErrorOf(worker, status)));
            return;
        }

        if (slot.Active != worker)
            return;
        // A successor still booting takes over the slot; otherwise the next tick starts a new worker.
        slot.Active = slot.Successor;
        slot.Successor = null;
        slot.LastExitedPid = worker.Pid;
        slot.NextStartAt = Now;
        if (IsStopping)
            return;
        if (slot.Active is not { IsReady: true })
            slot.UnservedSince ??= Now;
        if (!worker.IsReady)
            OnBootFailure(slot, worker, status);
    }

    /// <summary>No worker of the slot can serve: its socket leaves the port's group, so new connections go to the other slots.</summary>
    private void TakeDown(Slot slot, string reason)
    {
        if (!slot.Listening)
            return;
        slot.Listening = false;
        _sockets!.StopListening(slot.Index);
        log.Warning("slot_down", ("Slot", slot.Index), ("Reason", reason));
    }

    private void OnBootFailure(Slot slot, WorkerProcess worker, ExitStatus status)
    {
        slot.BootFailures++;
        var error = ErrorOf(worker, status);
        log.Error("boot_failed", ("Slot", slot.Index), ("Pid", worker.Pid), ("Attempt", slot.BootFailures), ("Error", error));
        TakeDown(slot, "a worker failed to boot");
        // Retrying cannot fix a configuration: a worker that exits "invalid settings" ends the master at once.
        if (status.Code == ExitCodes.InvalidSettings)
        {
            GiveUp(slot, status, $"a worker failed to boot: {error}");
            return;
        }
        // While another slot serves, a failing one is retried ever less often; once every slot fails, nothing can serve.
        if (_slots.All(other => BootBackoff.IsFailing(other.BootFailures)))
        {
            var counts = string.Join(", ", _slots.Select(other => $"slot {other.Index}: {other.BootFailures}"));
            GiveUp(slot, status, $"workers failed to boot {BootBackoff.MaxAttempts} times in a row in every slot ({counts}): {error}");
            return;
        }
        if (slot.BootFailures == BootBackoff.MaxAttempts)
            log.Error("slot_failing", ("Slot", slot.Index), ("Attempts", slot.BootFailures), ("Error", error));
        slot.NextStartAt = Now + (long)BootBackoff.DelayAfter(slot.BootFailures).TotalMilliseconds;
    }

    private void GiveUp(Slot slot, ExitStatus status, string failure)
    {
        _failure = failure;
        // The worker's own code says what failed (the API: 2 settings, 4 model); a signal or 0 says nothing.
        _exitCode = status.Code is > 0 and < 126 ? status.Code.Value : ExitCodes.Failed;
        log.Error("gave_up", ("Slot", slot.Index), ("Attempts", slot.BootFailures), ("ExitCode", _exitCode), ("Error", failure));
        BeginStop("workers failed to boot");
    }

    private static string ErrorOf(WorkerProcess worker, ExitStatus status) =>
        worker.LastError ?? $"worker exited with {status} before it was ready";

    private void Reload()
    {
        if (IsStopping)
            return;
        _generation++;
        foreach (var slot in _slots)
        {
            if (slot.Active is not null)
                slot.Active.KeepServing = false;
            else
                slot.NextStartAt = Now; // a failing slot tries again at once: the reload may have fixed what it failed on
        }
        log.Info("reload_requested", ("Generation", _generation));
    }

    private bool IsStopping => _stopDeadline is not null;

    private void BeginStop(string reason)
    {
        if (IsStopping)
            return;
        _stopDeadline = Now + (long)(settings.GracefulTimeout + ExitGrace).TotalMilliseconds;
        log.Info("master_stopping", ("Reason", reason), ("GracefulTimeoutSeconds", settings.GracefulTimeout.TotalSeconds));
        foreach (var worker in LiveWorkers().ToList())
            worker.Drain(_stopDeadline.Value);
    }

    private IEnumerable<WorkerProcess> LiveWorkers() => _slots.SelectMany(slot => slot.Workers()).Concat(_draining);

    /// <summary>One pass of housekeeping. Returns true when the master is done.</summary>
    private bool Tick()
    {
        KillSilentWorkers();
        if (IsStopping)
            return FinishStopping();
        foreach (var slot in _slots)
        {
            if (Now - slot.UnservedSince > ReplacementGrace.TotalMilliseconds)
                TakeDown(slot, $"no worker ready {ReplacementGrace.TotalSeconds:0} s after the last one exited");
            FillSlot(slot);
        }
        return false;
    }

    private void KillSilentWorkers()
    {
        var now = Now;
        foreach (var worker in LiveWorkers())
        {
            if (worker.KillSent)
                continue;
            var silentMs = now - worker.LastSeen;
            if (silentMs > settings.WorkerTimeout.TotalMilliseconds)
            {
                log.Warning("worker_timeout", ("Pid", worker.Pid), ("Slot", worker.Slot), ("SilentMs", silentMs));
                worker.Kill();
            }
            else if (now > worker.DrainDeadline)
            {
                log.Warning("drain_timeout", ("Pid", worker.Pid), ("Slot", worker.Slot));
                worker.Kill();
            }
        }
    }

    private void FillSlot(Slot slot)
    {
        if (slot.Active is null)
        {
            if (Now >= slot.NextStartAt)
                slot.Active = StartWorker(slot, replaces: slot.LastExitedPid);
            return;
        }

        var active = slot.Active;
        var wantsSuccessor = active.Generation < _generation || active.RecycleRequested;
        if (slot.Successor is null && active.IsReady && wantsSuccessor && !active.KeepServing)
            slot.Successor = StartWorker(slot, replaces: null);
    }

    private WorkerProcess? StartWorker(Slot slot, int? replaces)
    {
        try
        {
            var lane = metrics.PickLane(slot.Index, LiveWorkers().Select(live => live.Lane));
            var worker = WorkerProcess.Start(command, slot.Index, _generation, slot.Socket, metrics, lane, _events.Writer, Now);
            log.Info("worker_started", ("Pid", worker.Pid), ("Slot", slot.Index), ("Generation", _generation), ("Replaces", replaces));
            return worker;
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception)
        {
            _failure = $"cannot start worker {command.FileName}: {e.Message}";
            _exitCode = ExitCodes.Failed;
            log.Error("gave_up", ("Error", _failure));
            BeginStop("cannot start workers");
            return null;
        }
    }

    private bool FinishStopping()
    {
        var live = LiveWorkers().ToList();
        if (_listening && live.All(worker => worker.StoppedAccepting))
        {
            _listening = false;
            _sockets!.StopListening();
            log.Info("listeners_closed", ("Workers", live.Count));
        }
        if (live.Count == 0)
            return true;
        if (Now > _stopDeadline && !_stopForced)
        {
            _stopForced = true;
            log.Warning("stop_forced", ("Remaining", live.Count));
            live.ForEach(worker => worker.Kill());
        }
        return false;
    }
}
