using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PurchasePredict.Pipeline.Tests;

// The machine's sandbox as the end-to-end tests reach it besides ./build.sh, through the pipeline's own
// classes: its settings (this repository's ops/environments/sandbox.json), its home, tokens of its
// pipeline account (from that machine's metadata server, as Push gets them), new keys of its accounts
// (made by its own gcp-sandbox), and its stand-ins, which a test may stop to play a failure.
internal static class SandboxAccess
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static BuildPaths Paths { get; } = new(RepositoryRoot.Find(), System.Environment.GetEnvironmentVariable);

    public static SandboxSettings Settings { get; } = Load();

    // An access token of the pipeline's account (cloud-platform): what docker logs in to the registry with.
    public static async Task<string> CiTokenAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"http://{Settings.CiMetadataHost}/computeMetadata/v1/instance/service-accounts/default/token");
        request.Headers.Add("Metadata-Flavor", "Google");
        using var response = await Http.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), "the sandbox's metadata server of the pipeline's machine");
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!;
    }

    // A docker config folder (docker --config) logged in to the sandbox's registry as the pipeline's
    // account: docker pulls and pushes there as Push's skopeo does. The caller deletes the folder.
    public static async Task<string> DockerLoginAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        new CommandRunner(_ => { }).Run(ShellCommand.Of("docker", "--config", folder, "login", "--username", "oauth2accesstoken", "--password-stdin", Settings.RegistryAddress)
            .WithStandardInput(new Secret(await CiTokenAsync())), quiet: true);
        return folder;
    }

    // A new key file of the account (made on first use), as `gcloud iam service-accounts keys create` makes one.
    public static string CreateKey(string account, string file)
    {
        var runner = new CommandRunner(_ => { });
        var create = GcpSandbox.CreateKey(new GcpSandboxTool(runner, Paths).Dll, Paths.SandboxGcp, SandboxAccounts.Email(account), Settings.TokenUri, file);
        var result = runner.TryRun(create, quiet: true, timeout: TimeSpan.FromMinutes(5));
        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
        return file;
    }

    // The sandbox's MLflow stand-in, its model and the alias the sandbox's env file serves (MODEL_URI models:/purchase_predict@staging).
    public static MlflowClient Mlflow { get; } = new(new Uri("http://127.0.0.1:5050/"));

    public const string Model = "purchase_predict";

    public const string Alias = "staging";

    // SandboxMlflow registers the sandbox's own model once, as the model's first version under the alias.
    public const string SandboxModelVersion = "1";

    // Tests that move the alias put it back on the sandbox's own version, but a run killed before it could
    // leaves it on a test's model, which the next run would deploy and take for the sandbox's (and Reload
    // would then find nothing new). Fixtures that deploy the sandbox's model call this first; a stand-in
    // that is not up yet (a fresh machine) registers the alias itself when the sandbox starts it.
    public static async Task PutModelAliasBackAsync()
    {
        try
        {
            await Mlflow.PostAsync("api/2.0/mlflow/registered-models/alias", new { name = Model, alias = Alias, version = SandboxModelVersion });
        }
        catch (HttpRequestException)
        {
        }
    }

    // Stops one of the stand-ins the sandbox started (e.g. "pp-vm1-metadata"); the next Sandbox or SandboxVms starts it again.
    public static void StopStandIn(string name) =>
        new CommandRunner(_ => { }).Run(Daemon.Stop(Paths.SandboxDaemonFile(name, "pid")), quiet: true);

    private static SandboxSettings Load()
    {
        var settings = global::Settings.Load(Paths.Environments, _ => null, _ => null);
        var image = ImageTarget.From(settings.Require("registry"), settings.Require("project"), settings.Get("artifactRepository"));
        return SandboxSettings.From(settings, image)!;
    }
}
