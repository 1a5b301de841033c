namespace PurchasePredict.Pipeline.Tests;

// The env file Deploy writes, pinned as text.
public class EnvFileTests
{
    [Test]
    public void EnvFile_RendersSettingsSecretsAndDefaults_SkippingEmptyOptionalValues()
    {
        var text = EnvFile.Render(DeployTestData.EnvTemplate,
            new Dictionary<string, string> { ["MODEL_URI"] = "gs://b/m.txt", ["PORT"] = "8081", ["EXTRA"] = "x" },
            new Dictionary<string, Secret> { ["API_KEY"] = new("s3cret"), ["WORKERS"] = new("2") }).Value;
        Assert.That(text, Is.EqualTo(
            "# Written by Deploy from ops/purchase_predict_api.env; changes here are lost at the next deploy.\n" +
            "MODEL_URI=gs://b/m.txt\n" +
            "PORT=8081\n" +
            "WORKERS=2\n" +
            "GRACEFUL_TIMEOUT=30\n" +
            "API_KEY=s3cret\n" +
            "EXTRA=x\n"));
    }

    [Test]
    public void EnvFile_RenderedValue_IsASecret() =>
        Assert.That(EnvFile.Render(DeployTestData.EnvTemplate, new Dictionary<string, string> { ["MODEL_URI"] = "m" },
            new Dictionary<string, Secret>()).ToString(), Is.EqualTo("***"));

    [Test]
    public void EnvFile_MissingRequiredVariable_FailsNamingIt()
    {
        Assert.That(() => EnvFile.Render("NAME=${NAME}\nOTHER=${OTHER:-x}\n", new Dictionary<string, string>(), new Dictionary<string, Secret>()),
            Throws.TypeOf<SettingsException>().With.Message.Contains("NAME").And.Message.Not.Contains("OTHER"));
    }

    [Test]
    public void EnvFile_TheTutorialsMlflowVariables_AndTheVmsCredential_InTheTemplatesOrder()
    {
        var text = EnvFile.Render(DeployTestData.EnvTemplate, new Dictionary<string, string>
        {
            ["ENV"] = "staging", ["MLFLOW_REGISTRY_NAME"] = "purchase_predict", ["MLFLOW_SERVER"] = "http://mlflow.sandbox.internal:5050",
            ["STORAGE_ENDPOINT"] = "http://127.0.0.1:9199", ["GCE_METADATA_HOST"] = "127.0.0.1:9181",
        }, new Dictionary<string, Secret>()).Value;
        Assert.That(text.Split('\n').Skip(1).Take(5), Is.EqualTo(new[]
        {
            "MLFLOW_SERVER=http://mlflow.sandbox.internal:5050", "MLFLOW_REGISTRY_NAME=purchase_predict", "ENV=staging",
            "STORAGE_ENDPOINT=http://127.0.0.1:9199", "GCE_METADATA_HOST=127.0.0.1:9181",
        }));
    }

    [Test]
    public void EnvFile_MultiLineSecret_FailsWithoutShowingIt() =>
        Assert.That(() => EnvFile.Render(DeployTestData.EnvTemplate, new Dictionary<string, string> { ["MODEL_URI"] = "m" },
                new Dictionary<string, Secret> { ["KEY"] = new("line1\nline2") }),
            Throws.TypeOf<SettingsException>().With.Message.Contains("KEY").And.Message.Not.Contains("line1"));

    // docker --env-file reads the value verbatim: what the settings hold is what the container gets. (With
    // the env file as the unit's EnvironmentFile=, systemd read a final backslash as a line continuation.)
    [Test]
    public void EnvFile_WritesValuesVerbatim_BackslashesQuotesSpacesAndHashes()
    {
        var values = new Dictionary<string, string>
        {
            ["MODEL_URI"] = "m",
            ["DOCKER_HOST"] = "tcp://127.0.0.1:9",
            ["TRAILING"] = "ends with a backslash\\",
            ["QUOTED"] = "\"a b\" 'c' $HOME # not a comment ",
        };
        var lines = EnvFile.Render(DeployTestData.EnvTemplate, values, new Dictionary<string, Secret>()).Value.Split('\n');
        Assert.That(lines, Is.SupersetOf(new[] { "DOCKER_HOST=tcp://127.0.0.1:9", "TRAILING=ends with a backslash\\", "QUOTED=\"a b\" 'c' $HOME # not a comment " }));
    }

    [Test]
    public void EnvFile_NulCharacter_FailsNamingTheVariable() =>
        Assert.That(() => EnvFile.Render(DeployTestData.EnvTemplate, new Dictionary<string, string> { ["MODEL_URI"] = "m", ["X"] = "a\0b" }, new Dictionary<string, Secret>()),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith("X: ").And.Message.Contains("NUL"));
}
