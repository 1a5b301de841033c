using System.Globalization;
using System.IO.Pipes;
using PurchasePredict.Workers.Metrics;

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

    private MasterLink(AnonymousPipeClientStream pipe, int listenFd, MetricsSegment metrics)
    {
        _pipe = pipe;
        ListenFd = listenFd;
        Metrics = metrics;
    }

    /// <summary>The slot's listening socket, inherited from the master.</summary>
    public int ListenFd { get; }

    public CancellationToken MasterGone => _gone.Token;

    /// <summary>The master's metrics segment, this worker's lane claimed.</summary>
    public MetricsSegment Metrics { get; }

    /// <summary>Reads the descriptors the master passed; a worker started any other way is a usage error.</summary>
    public static MasterLink FromEnvironment()
    {
        var pipe = Environment.GetEnvironmentVariable(WorkerEnvironment.PipeFd);
        if (pipe is null || Number(WorkerEnvironment.ListenFd) is not { } listenFd || Number(WorkerEnvironment.MetricsFd) is not { } metricsFd
            || Number(WorkerEnvironment.MetricsLanes) is not { } lanes || Number(WorkerEnvironment.MetricsLane) is not { } lane
            || Number(WorkerEnvironment.Slot) is not { } slot || lane >= lanes)
            throw new SettingsException(
                $"{WorkerEnvironment.WorkerFlag} is for workers started by the master ({WorkerEnvironment.PipeFd}, " +
                $"{WorkerEnvironment.ListenFd} and the metrics lane are not set); run without it");
        var metrics = MetricsSegment.Join(metricsFd, lanes, lane);
        metrics.Claim(slot);
        return new MasterLink(new AnonymousPipeClientStream(PipeDirection.Out, pipe), listenFd, metrics);
    }

    private static int? Number(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

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
