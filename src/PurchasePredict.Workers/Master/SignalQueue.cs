using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace PurchasePredict.Workers.Master;

/// <summary>
/// SIGTERM, SIGINT and SIGHUP handlers that only enqueue the signal (as gunicorn's arbiter does):
/// all decisions happen in the master's loop. Cancelling the default action keeps the runtime from exiting.
/// </summary>
internal sealed class SignalQueue : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;

    public SignalQueue(ChannelWriter<MasterEvent> events) =>
        _registrations = [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP }
            .Select(signal => PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                events.TryWrite(new SignalReceived(context.Signal));
            }))];

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
    }
}
