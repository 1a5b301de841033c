using PurchasePredict.Api;

return args is [HealthCheckCommand.Flag] ? await HealthCheckCommand.RunAsync() : ApiApp.Run(args);
