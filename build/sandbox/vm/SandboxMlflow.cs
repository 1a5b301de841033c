#nullable enable
using System.Globalization;
using System.Net.Http;
using System.Text.Json.Nodes;

// The MLflow VM of the tutorial: gcp-sandbox's MLflow stand-in (its registry in the sandbox's GCP state),
// reached from the VMs by its hostname (mapped to 127.0.0.1 on each VM). The model the env file asks for
// (MLFLOW_REGISTRY_NAME at alias ENV) is registered once, as version 1 whose source is the model's
// artifact folder in the private bucket; a version registered later, or an alias moved on purpose, stays.
public sealed class SandboxMlflow(CommandRunner runner, BuildPaths paths, SandboxVmSettings settings, SandboxGcp gcp, Action<string> log)
{
    private string Api => $"http://127.0.0.1:{settings.MlflowPort.ToString(CultureInfo.InvariantCulture)}/api/2.0/mlflow";

    // Up = it answers the REST API the service reads (MLflow's error for a model that does not exist).
    public bool IsUp() => LocalHttp.Get($"{Api}/registered-models/alias?name=-&alias=-") is { Status: 404 };

    public void EnsureUp(string? model, string? alias)
    {
        if (!IsUp())
        {
            var daemon = gcp.Daemon("mlflow");
            daemon.Start(GcpSandbox.Mlflow(gcp.Tool.Dll, paths.SandboxGcp, settings.MlflowPort),
                () => daemon.Logged(GcpSandbox.ReadyLine("mlflow", settings.MlflowPort)), TimeSpan.FromSeconds(60));
        }
        if (model is null || alias is null)
        {
            log($"MLflow: http://{settings.MlflowHost}:{settings.MlflowPort} (deploy.env names no MLFLOW_REGISTRY_NAME and ENV: nothing registered).");
            return;
        }
        runner.Do($"register {settings.ArtifactUri} as {model}@{alias} in MLflow, unless that alias exists", () => Register(model, alias));
    }

    public void Down() => gcp.Daemon("mlflow").Stop();

    private void Register(string model, string alias)
    {
        var current = LocalHttp.Get($"{Api}/registered-models/alias?name={Uri.EscapeDataString(model)}&alias={Uri.EscapeDataString(alias)}");
        if (current is not { Status: 200 })
        {
            Post("registered-models/create", new JsonObject { ["name"] = model }, "RESOURCE_ALREADY_EXISTS");
            var version = (string)Post("model-versions/create", new JsonObject { ["name"] = model, ["source"] = settings.ArtifactUri })["model_version"]!["version"]!;
            Post("registered-models/alias", new JsonObject { ["name"] = model, ["alias"] = alias, ["version"] = version });
            current = LocalHttp.Get($"{Api}/registered-models/alias?name={Uri.EscapeDataString(model)}&alias={Uri.EscapeDataString(alias)}");
        }
        var registered = JsonNode.Parse(current!.Body)!["model_version"]!;
        log($"MLflow: http://{settings.MlflowHost}:{settings.MlflowPort}, {model}@{alias} is version {registered["version"]} ({registered["source"]}).");
    }

    // MLflow's answer; its error code `allowed` counts as done (a model registered by an earlier run).
    private JsonNode Post(string path, JsonObject body, string? allowed = null)
    {
        var answer = LocalHttp.Send(new HttpRequestMessage(HttpMethod.Post, $"{Api}/{path}")
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        });
        var json = answer is null ? null : JsonNode.Parse(answer.Body);
        if (answer is { Status: 200 } || (allowed is not null && (string?)json?["error_code"] == allowed))
        {
            return json!;
        }
        throw new InvalidOperationException($"MLflow stand-in: POST {path} failed: {(answer is null ? "no answer" : $"{answer.Status} {answer.Body.Trim()}")} (log: {gcp.Daemon("mlflow").LogFile}).");
    }
}
