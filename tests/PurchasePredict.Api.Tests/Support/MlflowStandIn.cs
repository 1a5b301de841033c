using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PurchasePredict.GcpSandbox.Hosting;
using PurchasePredict.GcpSandbox.Mlflow;

namespace PurchasePredict.Api.Tests.Support;

/// <summary>
/// The sandbox's MLflow stand-in (<c>gcp-sandbox mlflow</c>, tools/PurchasePredict.GcpSandbox) hosted in the
/// test process on 127.0.0.1, with a state folder of its own, plus two hooks around it for tests: the
/// requests it received, and holding artifact downloads back. Models are registered through its REST
/// API (<see cref="Client"/>), as a user registers them with MLflow's client.
/// </summary>
public sealed class MlflowStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _state;
    private TaskCompletionSource _artifactGate = new();

    private MlflowStandIn(WebApplication app, string state)
    {
        _app = app;
        _state = state;
        _artifactGate.SetResult();
        Address = new Uri(StandInHost.Address(app) + "/");
        Client = new MlflowClient(Address);
    }

    public Uri Address { get; }

    internal MlflowClient Client { get; }

    /// <summary>Request paths and queries received, in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public static async Task<MlflowStandIn> StartAsync()
    {
        var state = Directory.CreateTempSubdirectory("mlflow-stand-in-").FullName;
        var app = StandInHost.CreateBuilder(0).Build();
        MlflowStandIn? standIn = null;
        app.Use(async (context, next) =>
        {
            standIn!.Calls.Enqueue(context.Request.Path + context.Request.QueryString);
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.StartsWithSegments("/api/2.0/mlflow-artifacts"))
                await standIn._artifactGate.Task;
            await next(context);
        });
        app.MapMlflow(new MlflowRegistry(state, TimeProvider.System), new MlflowArtifacts(state));
        await app.StartAsync();
        standIn = new MlflowStandIn(app, state);
        return standIn;
    }

    /// <summary>Makes artifact downloads wait until <see cref="ReleaseArtifacts"/>, to see the service before its model arrives.</summary>
    public void HoldArtifacts() => _artifactGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseArtifacts() => _artifactGate.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        ReleaseArtifacts();
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }
}
