using System.Net.Http.Json;
using System.Text.Json.Nodes;

/// <summary>Registers models with an MLflow server through its REST API, as MLflow's own client does.</summary>
internal sealed class MlflowClient(Uri server) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server };

    /// <summary>A new version of the model (created on first use), moved to the stage; returns its number.</summary>
    public async Task<string> RegisterAsync(string name, string source, string stage = "None")
    {
        var (_, created) = await PostAsync("api/2.0/mlflow/registered-models/create", new { name });
        Assert.That((string?)created["registered_model"]?["name"] ?? (string?)created["error_code"], Is.AnyOf(name, "RESOURCE_ALREADY_EXISTS"));
        var version = (string)(await PostOkAsync("api/2.0/mlflow/model-versions/create", new { name, source }))["model_version"]!["version"]!;
        if (stage != "None") await PostOkAsync("api/2.0/mlflow/model-versions/transition-stage", new { name, version, stage, archive_existing_versions = false });
        return version;
    }

    public Task SetAliasAsync(string name, string alias, string version) =>
        PostOkAsync("api/2.0/mlflow/registered-models/alias", new { name, alias, version });

    public async Task UploadArtifactAsync(string path, byte[] content)
    {
        using var response = await _http.PutAsync($"api/2.0/mlflow-artifacts/artifacts/{path}", new ByteArrayContent(content));
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Any POST of the REST API: the status and the JSON answer, success or MLflow's error.</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonNode Body)> PostAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(path, body);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public async Task<(System.Net.HttpStatusCode Status, JsonNode Body)> GetAsync(string pathAndQuery)
    {
        using var response = await _http.GetAsync(pathAndQuery);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private async Task<JsonNode> PostOkAsync(string path, object body)
    {
        var (status, answer) = await PostAsync(path, body);
        Assert.That((int)status, Is.EqualTo(200), $"{path}: {answer.ToJsonString()}");
        return answer;
    }

    public void Dispose() => _http.Dispose();
}
