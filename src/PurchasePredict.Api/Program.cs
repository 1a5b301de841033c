using PurchasePredict.Api;

return args is [HealthCheckCommand.Flag] ? await HealthCheckCommand.RunAsync() : ApiApp.Run(args);

/// <summary>Named so tests can use WebApplicationFactory&lt;Program&gt;.</summary>
public partial class Program;
