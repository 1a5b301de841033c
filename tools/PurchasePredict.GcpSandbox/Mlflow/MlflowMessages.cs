namespace PurchasePredict.GcpSandbox.Mlflow;

/// <summary>A model version as MLflow's REST API describes it (ModelVersion).</summary>
public sealed record ModelVersion(
    string Name, string Version, long CreationTimestamp, long LastUpdatedTimestamp, string CurrentStage,
    string Source, string? RunId, string Status, IReadOnlyList<string> Aliases);

/// <summary>An alias of a registered model (RegisteredModelAlias).</summary>
public sealed record ModelAlias(string Alias, string Version);

/// <summary>A registered model (RegisteredModel), with the latest version of each stage.</summary>
public sealed record RegisteredModel(string Name, long CreationTimestamp, long LastUpdatedTimestamp, IReadOnlyList<ModelVersion> LatestVersions, IReadOnlyList<ModelAlias> Aliases);

public sealed record ModelVersionResponse(ModelVersion ModelVersion);

public sealed record ModelVersionsResponse(IReadOnlyList<ModelVersion> ModelVersions);

public sealed record RegisteredModelResponse(RegisteredModel RegisteredModel);

public sealed record DownloadUriResponse(string ArtifactUri);

public sealed record EmptyResponse;

/// <summary>MLflow's error body: <c>{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."}</c>.</summary>
public sealed record MlflowError(string ErrorCode, string Message);

public sealed record CreateModelRequest(string? Name);

public sealed record CreateVersionRequest(string? Name, string? Source, string? RunId);

public sealed record SetAliasRequest(string? Name, string? Alias, string? Version);

public sealed record TransitionStageRequest(string? Name, string? Version, string? Stage, bool ArchiveExistingVersions);

public sealed record LatestVersionsRequest(string? Name, IReadOnlyList<string>? Stages);
