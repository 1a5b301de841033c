using System.Globalization;
using System.IO.Pipes;

namespace PurchasePredict.Workers.Worker;

/// <summary>
/// A worker's end of the pipe to its master, plus the listening socket the master handed it.
/// A failed write means the master is gone: <see cref="MasterGone"/> then fires and the worker stops.
/// </summary>
internal sealed class MasterLink : IDisposable
{
    private readonly AnonymousPipeClientStream _pipe;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _gone = new();

    private MasterLink(AnonymousPipeClientStream pipe, int listenFd)
    {
        _pipe = pipe;
        ListenFd = listenFd;
    }

    /// <summary>The slot's listening socket, inherited from the master.</summary>
    public int ListenFd { get; }

    public CancellationToken MasterGone => _gone.Token;

    /// <summary>Reads the descriptors the master passed; a worker started any other way is a usage error.</summary>
    public static MasterLink FromEnvironment()
    {
        var pipe = Environment.GetEnvironmentVariable(WorkerEnvironment.PipeFd);
        var listen = Environment.GetEnvironmentVariable(WorkerEnvironment.ListenFd);
        if (pipe is null || !int.TryParse(listen, NumberStyles.None, CultureInfo.InvariantCulture, out var listenFd))
            throw new SettingsException(
                $"{WorkerEnvironment.WorkerFlag} is for workers started by the master ({WorkerEnvironment.PipeFd} and " +
                $"{WorkerEnvironment.ListenFd} are not set); run without it");
        return new MasterLink(new AnonymousPipeClientStream(PipeDirection.Out, pipe), listenFd);
    }

    public void Send(WorkerMessage message)
    {
        lock (_gate)
        {
            if (_gone.IsCancellationRequested)
                return;
            try
            {
                _pipe.WriteByte((byte)message);
            }
            catch (IOException)
            {
                _gone.Cancel();
            }
        }
    }

    public void Dispose()
    {
        _pipe.Dispose();
        _gone.Dispose();
    }
}
