using System.Runtime.InteropServices;

namespace PurchasePredict.Workers.Master;

/// <summary>Everything the master reacts to. Signal handlers and pipe readers only enqueue these; the loop handles them.</summary>
internal abstract record MasterEvent;

internal sealed record SignalReceived(PosixSignal Signal) : MasterEvent;

internal sealed record WorkerMessageReceived(WorkerProcess Worker, WorkerMessage Message) : MasterEvent;

internal sealed record WorkerExited(WorkerProcess Worker, ExitStatus Status) : MasterEvent;
