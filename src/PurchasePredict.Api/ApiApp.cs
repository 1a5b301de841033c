using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using PurchasePredict.Api.Endpoints;
using PurchasePredict.Api.Loading;
using PurchasePredict.Api.Logging;
using PurchasePredict.Api.Memory;
using PurchasePredict.Api.Metrics;
using PurchasePredict.Api.Oip;
using PurchasePredict.Api.Settings;
using PurchasePredict.Workers.Logs;
using PurchasePredict.Workers.Metrics;

namespace PurchasePredict.Api;

/// <summary>
/// Builds the prediction service. A host with several worker processes calls <see cref="Build"/>
/// in each worker; <see cref="Run"/> is the whole single-process program.
/// </summary>
public static class ApiApp
{
    /// <summary>
    /// The configured app, not started. Settings come from environment variables and --KEY=value
    /// arguments (src/PurchasePredict.Api/README.md) and are validated here: a bad one throws <see cref="SettingsException"/>.
    /// <paramref name="configure"/> runs last, so it can replace the listen address
    /// (<c>b.WebHost.UseUrls(...)</c>) or Kestrel options.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var settings = ApiSettings.Load(builder.Configuration);

        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // The access log is off unless asked for, as gunicorn's is: on a VM every line goes through docker's log
        // chain to journald, which cost as much CPU as the service itself under load (a third of its requests/s
        // through pp-vm1, docs/deploy.md) and drops lines past its rate limit anyway. Failed requests (5xx but the
        // 503 of "not ready yet") are still logged, at Warning.
        if (!settings.AccessLog) builder.Logging.AddFilter(RequestLogging.Category, LogLevel.Warning);
        // Microsoft's JSON console shape, each line at most 4096 bytes and redacted (docs/workers.md, "Lifecycle log").
        builder.Logging.AddBoundedJsonConsole();
        builder.WebHost.UseUrls($"http://0.0.0.0:{settings.Port}");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // RequestBody applies MAX_BODY_BYTES to the body itself; Kestrel's own limit counts a chunked body's
            // framing too, which made a chunked body of less than MAX_BODY_BYTES a 413.
            kestrel.Limits.MaxRequestBodySize = null;
        });

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default));
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(StorageSettings.Load(builder.Configuration));
        builder.Services.AddSingleton<GcsModelDownloader>();
        builder.Services.AddSingleton(new LargeBodyGate(settings));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ModelHolder>();
        builder.Services.AddSingleton<ModelLoader>();
        builder.Services.AddSingleton<ModelLoadingService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ModelLoadingService>());
        builder.Services.AddHostedService<IdleMemoryReclaimer>();
        // Metrics: the worker host registers its shared segment (configure, below, wins); an app run alone keeps its own.
        builder.Services.AddSingleton(_ => MetricsSegment.Alone());
        builder.Services.AddSingleton<ApiMetrics>();
        if (settings.Metrics) builder.Services.AddHostedService<ProcessFigures>();

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseRequestLogging();
        if (settings.Metrics) app.UseRequestMetrics();
        // Empty 4xx answers (404, 405) become problem details too.
        app.UseStatusCodePages();
        app.MapHealth();
        app.MapPredict();
        app.MapOip();
        if (settings.Metrics) app.MapMetrics();
        app.MapModel();
        return app;
    }

    /// <summary>
    /// Runs the service until it is stopped; returns the process exit code (<see cref="ExitCodes"/>).
    /// <paramref name="configure"/> is passed to <see cref="Build"/> (the worker host's hook).
    /// </summary>
    public static int Run(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplication app;
        try
        {
            app = Build(args, configure);
        }
        catch (SettingsException e)
        {
            Console.Error.WriteLine($"purchase_predict_api: {Redaction.Text(e.Message)}");
            return ExitCodes.BadSettings;
        }
        // Run disposes the services; keep what the exit code depends on.
        var models = app.Services.GetRequiredService<ModelHolder>();
        var port = app.Services.GetRequiredService<ApiSettings>().Port;
        try
        {
            app.Run();
        }
        catch (IOException e)
        {
            // Most often: the port is taken.
            Console.Error.WriteLine($"purchase_predict_api: cannot listen on port {port}: {e.Message}");
            return ExitCodes.CannotListen;
        }
        return models.LoadFailure is null ? ExitCodes.Ok : ExitCodes.ModelLoadFailed;
    }
}
