using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PurchasePredict.Api.Tests.Support;

/// <summary>
/// A stand-in for an MLflow tracking server (none can be installed here): the model registry
/// endpoints the service calls, answering as MLflow's REST API reference documents them,
/// including its RESOURCE_DOES_NOT_EXIST errors, plus proxied artifact downloads.
/// </summary>
public sealed class FakeMlflowServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Version> _versions = [];
    private readonly Dictionary<string, string> _aliases = [];
    private readonly Dictionary<string, byte[]> _artifacts = [];
    private TaskCompletionSource _artifactGate = new();

    public sealed record Version(string Name, string Number, string Stage, string ArtifactUri);

    private FakeMlflowServer(WebApplication app)
    {
        _app = app;
        _artifactGate.SetResult();
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>Request paths received, in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public static async Task<FakeMlflowServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeMlflowServer(app);
        app.Use(async (context, next) =>
        {
            server.Calls.Enqueue(context.Request.Path + context.Request.QueryString);
            await next(context);
        });
        app.MapGet("/api/2.0/mlflow/registered-models/alias", (string name, string alias) => server.ByAlias(name, alias));
        app.MapPost("/api/2.0/mlflow/registered-models/get-latest-versions", server.LatestVersions);
        app.MapGet("/api/2.0/mlflow/model-versions/get", (string name, string version) => server.Get(name, version));
        app.MapGet("/api/2.0/mlflow/model-versions/get-download-uri", (string name, string version) => server.DownloadUri(name, version));
        app.MapGet("/api/2.0/mlflow-artifacts/artifacts/{**path}", async (string path) =>
        {
            await server._artifactGate.Task;
            return server._artifacts.TryGetValue(path, out var bytes) ? Results.Bytes(bytes) : NotFound($"no artifact {path}");
        });
        await app.StartAsync();
        server.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return server;
    }

    /// <summary>Makes artifact downloads wait until <see cref="ReleaseArtifacts"/>, to see the service before its model arrives.</summary>
    public void HoldArtifacts() => _artifactGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseArtifacts() => _artifactGate.TrySetResult();

    public void AddVersion(string name, string number, string stage, string artifactUri) =>
        _versions.Add(new Version(name, number, stage, artifactUri));

    public void SetAlias(string name, string alias, string number) => _aliases[$"{name}@{alias}"] = number;

    public void AddArtifact(string path, byte[] content) => _artifacts[path] = content;

    private IResult ByAlias(string name, string alias) =>
        _aliases.TryGetValue($"{name}@{alias}", out var number) ? Get(name, number)
        : NotFound($"Registered model alias {alias} not found.");

    private IResult Get(string name, string number) =>
        _versions.FirstOrDefault(v => v.Name == name && v.Number == number) is { } version
            ? Json(new JsonObject { ["model_version"] = ToJson(version) })
            : NotFound($"Model Version (name={name}, version={number}) not found");

    private async Task<IResult> LatestVersions(HttpRequest request)
    {
        var body = await JsonNode.ParseAsync(request.Body);
        var name = (string?)body?["name"];
        var stages = body?["stages"]?.AsArray().Select(s => (string?)s).ToHashSet() ?? [];
        var versions = _versions.Where(v => v.Name == name).ToList();
        if (versions.Count == 0) return NotFound($"Registered Model with name={name} not found");
        // One latest version per stage, as MLflow answers; stage names are matched exactly here,
        // so the test shows the client sends MLflow's canonical spelling.
        var latest = versions.Where(v => stages.Count == 0 || stages.Contains(v.Stage))
            .GroupBy(v => v.Stage).Select(g => g.MaxBy(v => int.Parse(v.Number))!);
        return Json(new JsonObject { ["model_versions"] = new JsonArray([.. latest.Select(ToJson)]) });
    }

    private IResult DownloadUri(string name, string number) =>
        _versions.FirstOrDefault(v => v.Name == name && v.Number == number) is { } version
            ? Json(new JsonObject { ["artifact_uri"] = version.ArtifactUri })
            : NotFound($"Model Version (name={name}, version={number}) not found");

    private static JsonNode ToJson(Version v) => new JsonObject
    {
        ["name"] = v.Name,
        ["version"] = v.Number,
        ["current_stage"] = v.Stage,
        ["source"] = v.ArtifactUri,
        ["run_id"] = "0123456789abcdef",
        ["status"] = "READY",
    };

    private static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(), "application/json");

    private static IResult NotFound(string message) =>
        Results.Text(new JsonObject { ["error_code"] = "RESOURCE_DOES_NOT_EXIST", ["message"] = message }.ToJsonString(),
            "application/json", statusCode: 404);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
