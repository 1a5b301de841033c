using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PurchasePredict.Api.Logging;
using PurchasePredict.Workers.Logs;

namespace PurchasePredict.Api.Loading;

/// <summary>
/// Loads the model once the server listens, so /health/live answers while a large model downloads.
/// A failure prints one line on stderr and stops the process with <see cref="ExitCodes.ModelLoadFailed"/>.
/// <see cref="RequestReload"/> (SIGHUP with WORKERS=1) loads it again: the new model replaces the old one once it
/// is loaded; one that cannot be loaded is logged as an error and the old one keeps serving.
/// </summary>
public sealed class ModelLoadingService(
    ModelLoader loader, ModelHolder holder, IHostApplicationLifetime lifetime, ILogger<ModelLoadingService> log) : BackgroundService
{
    // Reload requests arriving while one is pending are the same request.
    private readonly Channel<bool> _reloads = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void RequestReload() => _reloads.Writer.TryWrite(true);

    private async Task ApplicationStarted(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Load once Kestrel listens, so /health/live answers while a large model downloads.
            await ApplicationStarted(stoppingToken);
            await LoadAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            var reason = Reason(e);
            holder.Fail(reason);
            await Console.Error.WriteLineAsync($"purchase_predict_api: cannot load the model: {reason}");
            lifetime.StopApplication();
            return;
        }
        await ReloadWhenAskedAsync(stoppingToken);
    }

    private async Task ReloadWhenAskedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in _reloads.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await LoadAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    log.ReloadFailed(holder.Current!.Source, Reason(e));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task LoadAsync(CancellationToken stoppingToken)
    {
        var loaded = await loader.LoadAsync(stoppingToken);
        ReleaseLoadingGarbage();
        holder.Set(loaded);
        var model = loaded.Model;
        log.ModelLoaded(loaded.Source, loaded.RegistryVersion, model.Version, model.Kind.ToString(), model.TreeCount, model.FeatureCount);
    }

    private static string Reason(Exception e) =>
        Redaction.Text((e is ModelLoadException ? e.Message : $"{e.GetType().Name}: {e.Message}").ReplaceLineEndings(" "));

    /// <summary>
    /// Parsing the model text leaves megabytes of garbage, and the GC keeps the memory it grew to. One compacting
    /// collection that gives the freed memory back to the system, before the worker is ready: every worker's
    /// resident memory is then the model and the server, not the peak of loading (docs/benchmarks.md, memory).
    /// </summary>
    private static void ReleaseLoadingGarbage() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
