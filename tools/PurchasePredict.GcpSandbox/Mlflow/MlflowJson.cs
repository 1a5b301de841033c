using System.Text.Json.Serialization;

namespace PurchasePredict.GcpSandbox.Mlflow;

/// <summary>MLflow's JSON: snake_case, absent values left out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelVersionResponse))]
[JsonSerializable(typeof(ModelVersionsResponse))]
[JsonSerializable(typeof(RegisteredModelResponse))]
[JsonSerializable(typeof(DownloadUriResponse))]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(MlflowError))]
[JsonSerializable(typeof(CreateModelRequest))]
[JsonSerializable(typeof(CreateVersionRequest))]
[JsonSerializable(typeof(SetAliasRequest))]
[JsonSerializable(typeof(TransitionStageRequest))]
[JsonSerializable(typeof(LatestVersionsRequest))]
[JsonSerializable(typeof(RegistryState))]
public sealed partial class MlflowJson : JsonSerializerContext;
