using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PurchasePredict.GcpSandbox.Mlflow;

/// <summary>
/// <c>mlflow --state DIR --port N</c>: the tutorial's MLflow VM, reduced to what this project needs. A
/// stand-in (no MLflow server can be installed here) that speaks MLflow's documented REST API 2.0 for the
/// model registry, with MLflow's error codes, and serves proxied artifacts:
/// <list type="bullet">
/// <item>read, as the service's loader does: registered-models/alias (GET), registered-models/get-latest-versions
/// (POST), model-versions/get (GET), model-versions/get-download-uri (GET), mlflow-artifacts/artifacts/PATH (GET);</item>
/// <item>write, to register and promote models: registered-models/create, model-versions/create,
/// registered-models/alias (POST, sets or moves an alias), model-versions/transition-stage (all POST),
/// mlflow-artifacts/artifacts/PATH (PUT).</item>
/// </list>
/// </summary>
public static class MlflowServer
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string> { "state", "port" };

    private const string Api = "/api/2.0/mlflow";

    public static Task RunAsync(Options options)
    {
        var state = options.Required("state");
        var app = StandInHost.CreateBuilder(options.Port()).Build();
        app.MapMlflow(new MlflowRegistry(state, TimeProvider.System), new MlflowArtifacts(state));
        return StandInHost.RunAsync(app, "mlflow");
    }

    public static void MapMlflow(this IEndpointRouteBuilder app, MlflowRegistry registry, MlflowArtifacts artifacts)
    {
        app.MapGet($"{Api}/registered-models/alias", (string? name, string? alias) =>
            Answer(Json.ModelVersionResponse, () => new ModelVersionResponse(registry.ByAlias(Required(name, "name"), Required(alias, "alias")))));
        app.MapPost($"{Api}/registered-models/get-latest-versions", (HttpRequest request) => AnswerAsync(request, Json.LatestVersionsRequest,
            Json.ModelVersionsResponse, body => new ModelVersionsResponse(registry.Latest(Required(body.Name, "name"), body.Stages ?? []))));
        app.MapGet($"{Api}/model-versions/get", (string? name, string? version) =>
            Answer(Json.ModelVersionResponse, () => new ModelVersionResponse(registry.Get(Required(name, "name"), Required(version, "version")))));
        app.MapGet($"{Api}/model-versions/get-download-uri", (string? name, string? version) =>
            Answer(Json.DownloadUriResponse, () => new DownloadUriResponse(registry.Get(Required(name, "name"), Required(version, "version")).Source)));

        app.MapPost($"{Api}/registered-models/create", (HttpRequest request) => AnswerAsync(request, Json.CreateModelRequest,
            Json.RegisteredModelResponse, body => new RegisteredModelResponse(registry.CreateModel(Required(body.Name, "name")))));
        app.MapPost($"{Api}/model-versions/create", (HttpRequest request) => AnswerAsync(request, Json.CreateVersionRequest,
            Json.ModelVersionResponse, body => new ModelVersionResponse(registry.CreateVersion(Required(body.Name, "name"), Required(body.Source, "source"), body.RunId))));
        app.MapPost($"{Api}/registered-models/alias", (HttpRequest request) => AnswerAsync(request, Json.SetAliasRequest, Json.EmptyResponse, body =>
        {
            registry.SetAlias(Required(body.Name, "name"), Required(body.Alias, "alias"), Required(body.Version, "version"));
            return new EmptyResponse();
        }));
        app.MapPost($"{Api}/model-versions/transition-stage", (HttpRequest request) => AnswerAsync(request, Json.TransitionStageRequest,
            Json.ModelVersionResponse, body => new ModelVersionResponse(registry.TransitionStage(Required(body.Name, "name"), Required(body.Version, "version"),
                Required(body.Stage, "stage"), body.ArchiveExistingVersions))));

        app.MapGet("/api/2.0/mlflow-artifacts/artifacts/{**path}", (string path) =>
            artifacts.Find(path) is { } file ? Results.File(file, "application/octet-stream") : Error(new MlflowException("RESOURCE_DOES_NOT_EXIST", $"Artifact not found: {path}")));
        app.MapPut("/api/2.0/mlflow-artifacts/artifacts/{**path}", async (string path, HttpRequest request, CancellationToken cancel) =>
        {
            try
            {
                await artifacts.SaveAsync(path, request.Body, cancel);
                return Results.Json(new EmptyResponse(), Json.EmptyResponse);
            }
            catch (MlflowException e)
            {
                return Error(e);
            }
        });
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new MlflowException("INVALID_PARAMETER_VALUE", $"Missing value for required parameter '{name}'.") : value;

    private static MlflowJson Json => MlflowJson.Default;

    private static IResult Answer<T>(JsonTypeInfo<T> type, Func<T> answer)
    {
        try
        {
            return Results.Json(answer(), type);
        }
        catch (MlflowException e)
        {
            return Error(e);
        }
    }

    private static async Task<IResult> AnswerAsync<TRequest, T>(HttpRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<T> type, Func<TRequest, T> answer)
    {
        TRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, requestType);
        }
        catch (JsonException e)
        {
            return Error(new MlflowException("MALFORMED_REQUEST", $"Malformed request body: {e.Message}"));
        }
        return body is null ? Error(new MlflowException("MALFORMED_REQUEST", "Empty request body")) : Answer(type, () => answer(body));
    }

    private static IResult Error(MlflowException e) =>
        Results.Json(new MlflowError(e.ErrorCode, e.Message), Json.MlflowError, statusCode: e.ErrorCode == "RESOURCE_DOES_NOT_EXIST" ? 404 : 400);
}
