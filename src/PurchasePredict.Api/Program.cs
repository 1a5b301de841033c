using PurchasePredict.Api;
using PurchasePredict.Api.Loading;
using PurchasePredict.Workers;

// WORKERS processes under a master (gunicorn's model), or this one alone with WORKERS=1: docs/workers.md.
// A worker is ready, and replaces an old one on reload, once its model is loaded. Alone, SIGHUP reloads the model.
return args is [HealthCheckCommand.Flag]
    ? await HealthCheckCommand.RunAsync()
    : WorkerHost.Run(args, worker => ApiApp.Run(worker.Args, worker.Configure),
        services => services.GetRequiredService<ModelHolder>().Current is not null,
        services => services.GetRequiredService<ModelLoadingService>().RequestReload());
