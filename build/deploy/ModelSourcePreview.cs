#nullable enable
using System.Linq;
using System.Net.Http;
using System.Text.Json;

// What a VM's env file names as its model, for a dry run of Reload: MODEL_URI, or the tutorial's
// MLFLOW_REGISTRY_NAME at alias (or stage) ENV; and, when MLflow is on 127.0.0.1 (the sandbox's stand-in,
// which the VMs reach by its hostname), which registered version that names now. A dry run contacts no
// other host, so a real MLflow server is named, not asked.
public static class ModelSourcePreview
{
    public static string Describe(IReadOnlyDictionary<string, string> env, IReadOnlyDictionary<string, Secret> secrets, SandboxVmSettings? sandbox)
    {
        if (secrets.ContainsKey("MODEL_URI"))
        {
            return "MODEL_URI from the secrets file (not shown)";
        }
        string? Value(string key) => env.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        var uri = Value("MODEL_URI");
        if (uri is not null && !uri.StartsWith("models:/", StringComparison.Ordinal))
        {
            return !uri.StartsWith("gs://", StringComparison.Ordinal) ? uri
                : uri.Contains('#') ? $"{uri} (pinned)"
                : $"{uri}: the object's live generation, read when the model loads";
        }
        var (name, reference) = uri is null
            ? (Value("MLFLOW_REGISTRY_NAME"), Value("ENV"))
            : uri["models:/".Length..] is var rest && rest.Contains('@') ? (rest[..rest.LastIndexOf('@')], rest[(rest.LastIndexOf('@') + 1)..])
            : (rest[..Math.Max(rest.LastIndexOf('/'), 0)], rest[(rest.LastIndexOf('/') + 1)..]);
        var byAlias = uri is null || uri.Contains('@');
        var named = uri ?? $"models:/{name}@{reference} (or stage {reference})";
        if (name is null || reference is null || Value("MLFLOW_SERVER") is not { } server)
        {
            return named;
        }
        if (Local(server, sandbox) is not { } local)
        {
            return $"{named} at MLflow {server}: not asked, a dry run contacts no host but 127.0.0.1";
        }
        var pinned = reference.All(char.IsAsciiDigit);
        var version = pinned ? reference
            : (byAlias ? VersionOf(LocalHttp.Get($"{local}/api/2.0/mlflow/registered-models/alias?name={Uri.EscapeDataString(name)}&alias={Uri.EscapeDataString(reference)}")) : null)
              ?? (uri is null || !byAlias ? LatestInStage(local, name, reference) : null);
        return version is null
            ? $"{named}: MLflow at {server} names no version (the VMs would fail to load it)"
            : $"{named} -> version {version}" + (pinned ? " (pinned)" : $" now, at MLflow {server}");
    }

    // The server's address from the runner: 127.0.0.1 as is, the sandbox's MLflow hostname as 127.0.0.1; else null.
    private static string? Local(string server, SandboxVmSettings? sandbox)
    {
        if (!Uri.TryCreate(server.Contains("://", StringComparison.Ordinal) ? server : "http://" + server, UriKind.Absolute, out var uri))
        {
            return null;
        }
        return uri.Host == "127.0.0.1" ? uri.GetLeftPart(UriPartial.Authority)
            : sandbox is not null && uri.Host == sandbox.MlflowHost ? $"http://127.0.0.1:{uri.Port}" : null;
    }

    // "latest": of any stage. MLflow's stages are None, Staging, Production and Archived: ENV=staging means Staging.
    private static string? LatestInStage(string local, string name, string reference)
    {
        var stages = reference.Equals("latest", StringComparison.OrdinalIgnoreCase) ? []
            : new[] { new[] { "None", "Staging", "Production", "Archived" }.FirstOrDefault(s => s.Equals(reference, StringComparison.OrdinalIgnoreCase)) ?? reference };
        var request = new HttpRequestMessage(HttpMethod.Post, $"{local}/api/2.0/mlflow/registered-models/get-latest-versions")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { name, stages }), System.Text.Encoding.UTF8, "application/json"),
        };
        var answer = LocalHttp.Send(request);
        if (answer is not { Status: 200 })
        {
            return null;
        }
        using var document = JsonDocument.Parse(answer.Body);
        return document.RootElement.TryGetProperty("model_versions", out var versions)
            ? versions.EnumerateArray().Select(v => v.GetProperty("version").GetString()).OfType<string>().MaxBy(v => long.TryParse(v, out var n) ? n : 0)
            : null;
    }

    private static string? VersionOf(LocalHttp.Answer? answer)
    {
        if (answer is not { Status: 200 })
        {
            return null;
        }
        using var document = JsonDocument.Parse(answer.Body);
        return document.RootElement.TryGetProperty("model_version", out var version) && version.TryGetProperty("version", out var number) ? number.GetString() : null;
    }
}
