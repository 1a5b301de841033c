using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PurchasePredict.Api.Logging;
using PurchasePredict.Workers.Logs;

namespace PurchasePredict.Api.Loading;

/// <summary>
/// Loads the model once the server listens, so /health/live answers while a large model downloads.
/// A failure prints one line on stderr and stops the process with <see cref="ExitCodes.ModelLoadFailed"/>.
/// </summary>
public sealed class ModelLoadingService(
    ModelLoader loader, ModelHolder holder, IHostApplicationLifetime lifetime, ILogger<ModelLoadingService> log) : BackgroundService
{
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
            var loaded = await loader.LoadAsync(stoppingToken);
            holder.Set(loaded);
            var model = loaded.Model;
            log.ModelLoaded(loaded.Source, loaded.RegistryVersion, model.Version, model.Kind.ToString(), model.TreeCount, model.FeatureCount);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            var reason = e is ModelLoadException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            reason = Redaction.Text(reason.ReplaceLineEndings(" "));
            holder.Fail(reason);
            await Console.Error.WriteLineAsync($"purchase_predict_api: cannot load the model: {reason}");
            lifetime.StopApplication();
        }
    }
}
