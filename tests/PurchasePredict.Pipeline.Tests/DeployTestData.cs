using System.Text.Json;

namespace PurchasePredict.Pipeline.Tests;

// Settings and paths shared by the deploy unit tests.
internal static class DeployTestData
{
    public static string Root { get; } = FindRoot();

    public static string UnitTemplate => File.ReadAllText(Path.Combine(Root, "ops", "purchase_predict_api.service"));

    public static string EnvTemplate => File.ReadAllText(Path.Combine(Root, "ops", "purchase_predict_api.env"));

    public static readonly DeployImage Image = new(
        "127.0.0.1:5000/purchase-predict-sandbox/purchase_predict_api",
        "sha256:" + new string('a', 64),
        "0123456789abcdef0123456789abcdef01234567");

    // The "deploy" section of a settings file, with optional arguments (name -> value) on top.
    public static Settings SettingsOf(string deployJson, Dictionary<string, string>? arguments = null)
    {
        var file = JsonDocument.Parse("{\"deploy\": " + deployJson + "}").RootElement.Clone();
        return new Settings("ops/environments/test.json", file,
            name => arguments is not null && arguments.TryGetValue(name, out var v) ? v : null,
            _ => null) { Environment = "test" };
    }

    public const string MinimalDeploy = """
        {
          "hosts": [
            {"name": "vm1", "address": "127.0.0.1", "sshPort": 2201, "servicePort": 8081},
            {"name": "vm2", "address": "127.0.0.1", "sshPort": 2202, "servicePort": 8082}
          ],
          "sshUser": "deploy",
          "env": {"MODEL_URI": "gs://bucket/model.txt"},
          "predictRequest": "models/demo/request.json"
        }
        """;

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PurchasePredict.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
