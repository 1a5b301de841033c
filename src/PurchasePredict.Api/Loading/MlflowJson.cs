using System.Text.Json.Serialization;

namespace PurchasePredict.Api.Loading;

/// <summary>The parts of MLflow's REST API messages we read (mlflow.org REST API reference).</summary>
public sealed record MlflowModelVersion(string? Name, string? Version, string? Source, string? CurrentStage, string? RunId);

public sealed record MlflowModelVersionResponse(MlflowModelVersion? ModelVersion);

public sealed record MlflowLatestVersionsRequest(string Name, string[] Stages);

public sealed record MlflowLatestVersionsResponse(List<MlflowModelVersion>? ModelVersions);

public sealed record MlflowDownloadUriResponse(string? ArtifactUri);

public sealed record MlflowError(string? ErrorCode, string? Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MlflowModelVersionResponse))]
[JsonSerializable(typeof(MlflowLatestVersionsRequest))]
[JsonSerializable(typeof(MlflowLatestVersionsResponse))]
[JsonSerializable(typeof(MlflowDownloadUriResponse))]
[JsonSerializable(typeof(MlflowError))]
public sealed partial class MlflowJsonContext : JsonSerializerContext;
