namespace PurchasePredict.Pipeline.Tests;

// Settings and paths shared by the deploy unit tests.
internal static class DeployTestData
{
    public static string Root { get; } = RepositoryRoot.Find();

    // The repository's paths; the sandbox's home in a folder of its own, never the machine's.
    public static BuildPaths Paths { get; } = new(Root, name => name == "PURCHASE_PREDICT_CACHE" ? Path.Combine(Path.GetTempPath(), "pp-unit-tests-cache") : null);

    public static string UnitTemplate => File.ReadAllText(Paths.UnitTemplate);

    public static string EnvTemplate => File.ReadAllText(Paths.EnvTemplate);

    public static readonly PushedImage Image = new(
        "127.0.0.1:5000/purchase-predict-sandbox/purchase_predict_api",
        "sha256:" + new string('a', 64),
        "0123456789abcdef0123456789abcdef01234567",
        "staging", "sandbox", null, null);

    // The "deploy" section of a settings file, with optional arguments (name -> value) on top.
    public static Settings SettingsOf(string deployJson, Dictionary<string, string>? arguments = null) =>
        Settings.Parse("ops/environments/test.json", "test", "{\"deploy\": " + deployJson + "}",
            name => arguments is not null && arguments.TryGetValue(name, out var v) ? v : null,
            _ => null);

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
}
