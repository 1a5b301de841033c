using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PurchasePredict.Api.Loading;

/// <summary>
/// Resolves a registered model version to its artifact directory through MLflow's REST API:
/// registered-models/alias, registered-models/get-latest-versions, model-versions/get and
/// model-versions/get-download-uri; and downloads proxied artifacts (mlflow-artifacts:/).
/// </summary>
public sealed class MlflowRegistryClient(HttpClient http, Uri server)
{
    /// <summary>The version a reference named, its artifact directory, and the alias that named it (null when none did).</summary>
    public sealed record Resolved(string Version, string ArtifactUri, string? Alias, string? Stage);

    public async Task<Resolved> ResolveAsync(RegistryModel model, CancellationToken cancel)
    {
        var byAlias = model.Kind is RegistryReference.Alias or RegistryReference.AliasOrStage
            ? await ByAliasAsync(model.Name, model.Reference, cancel)
            : null;
        var version = byAlias ?? model.Kind switch
        {
            RegistryReference.Stage or RegistryReference.AliasOrStage => await LatestAsync(model.Name, CanonicalStage(model.Reference), cancel),
            RegistryReference.Latest => await LatestAsync(model.Name, null, cancel),
            RegistryReference.Version => await VersionAsync(model.Name, model.Reference, cancel),
            _ => null,
        };
        if (version?.Version is not { } number)
            throw new ModelLoadException($"{model}: MLflow at {server} has no such registered model version");
        var download = await GetAsync(
            $"api/2.0/mlflow/model-versions/get-download-uri?name={Uri.EscapeDataString(model.Name)}&version={Uri.EscapeDataString(number)}",
            MlflowJsonContext.Default.MlflowDownloadUriResponse, cancel);
        if (download?.ArtifactUri is not { Length: > 0 } artifactUri)
            throw new ModelLoadException($"{model}: MLflow at {server} gave no artifact URI for version {number}");
        return new Resolved(number, artifactUri, byAlias is null ? null : model.Reference, version.CurrentStage is "None" or "" ? null : version.CurrentStage);
    }

    public async Task<byte[]> DownloadArtifactAsync(MlflowArtifactModel artifact, CancellationToken cancel)
    {
        var path = string.Join('/', artifact.Path.Split('/').Select(Uri.EscapeDataString));
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(server, $"api/2.0/mlflow-artifacts/artifacts/{path}")), cancel);
        if (!response.IsSuccessStatusCode)
            throw new ModelLoadException($"{artifact}: MLflow at {server} answered HTTP {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync(cancel);
    }

    private Task<MlflowModelVersion?> ByAliasAsync(string name, string alias, CancellationToken cancel) =>
        VersionOf(GetAsync($"api/2.0/mlflow/registered-models/alias?name={Uri.EscapeDataString(name)}&alias={Uri.EscapeDataString(alias)}",
            MlflowJsonContext.Default.MlflowModelVersionResponse, cancel));

    private Task<MlflowModelVersion?> VersionAsync(string name, string version, CancellationToken cancel) =>
        VersionOf(GetAsync($"api/2.0/mlflow/model-versions/get?name={Uri.EscapeDataString(name)}&version={Uri.EscapeDataString(version)}",
            MlflowJsonContext.Default.MlflowModelVersionResponse, cancel));

    private static async Task<MlflowModelVersion?> VersionOf(Task<MlflowModelVersionResponse?> response) => (await response)?.ModelVersion;

    /// <summary>The newest version in a stage, or of any stage when <paramref name="stage"/> is null.</summary>
    private async Task<MlflowModelVersion?> LatestAsync(string name, string? stage, CancellationToken cancel)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "api/2.0/mlflow/registered-models/get-latest-versions"))
        {
            Content = JsonContent.Create(new MlflowLatestVersionsRequest(name, stage is null ? [] : [stage]), MlflowJsonContext.Default.MlflowLatestVersionsRequest),
        };
        var response = await ReadAsync(request, MlflowJsonContext.Default.MlflowLatestVersionsResponse, cancel);
        return response?.ModelVersions?
            .Where(v => long.TryParse(v.Version, out _))
            .MaxBy(v => long.Parse(v.Version!, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>MLflow's stages are None, Staging, Production and Archived; ENV=staging means Staging.</summary>
    private static string CanonicalStage(string stage) =>
        new[] { "None", "Staging", "Production", "Archived" }.FirstOrDefault(s => s.Equals(stage, StringComparison.OrdinalIgnoreCase)) ?? stage;

    private Task<T?> GetAsync<T>(string relative, JsonTypeInfo<T> type, CancellationToken cancel) where T : class =>
        ReadAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(server, relative)), type, cancel);

    /// <summary>The answer, or null when MLflow says the resource does not exist.</summary>
    private async Task<T?> ReadAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancel) where T : class
    {
        using var _ = request;
        using var response = await SendAsync(request, cancel);
        try
        {
            if (response.IsSuccessStatusCode)
                return await response.Content.ReadFromJsonAsync(type, cancel);
            var error = await ReadErrorAsync(response, cancel);
            if (response.StatusCode == HttpStatusCode.NotFound || error?.ErrorCode == "RESOURCE_DOES_NOT_EXIST")
                return null;
            throw new ModelLoadException(
                $"MLflow at {server} answered HTTP {(int)response.StatusCode} to {request.RequestUri!.AbsolutePath}: {error?.Message ?? response.ReasonPhrase}");
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"MLflow at {server} sent an unreadable answer to {request.RequestUri!.AbsolutePath}: {e.Message}", e);
        }
    }

    private static async Task<MlflowError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(MlflowJsonContext.Default.MlflowError, cancel);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancel)
    {
        try
        {
            return await http.SendAsync(request, cancel);
        }
        catch (HttpRequestException e)
        {
            throw new ModelLoadException($"cannot reach MLflow at {server}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancel.IsCancellationRequested)
        {
            throw new ModelLoadException($"MLflow at {server} did not answer within {http.Timeout.TotalSeconds:0} s", e);
        }
    }
}
