namespace PurchasePredict.Pipeline.Tests;

// Settings are validated before anything runs, and every error names the setting and where it came from.
public class BuildParametersTests
{
    private string _root = "";

    private const string Valid = """
        {
          "repo": ".",
          "branch": "staging",
          "tests": ["tests/A.Tests"],
          "apiProject": "src/Api",
          "publishMode": "ready-to-run",
          "runtime": "linux-x64",
          "registry": "gcr.io",
          "project": "acme-prod",
          "registryAuth": "none",
          "baseImage": "mcr.microsoft.com/dotnet/runtime-deps:10.0@sha256:69ee6d1a1b7a92cc82a71001342554d4611a509d880114b2d5653ff5e73eb436"
        }
        """;

    [SetUp]
    public void CreateRepository()
    {
        _root = Directory.CreateTempSubdirectory("pipeline-settings-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "ops", "environments"));
        WriteEnvironment("staging", Valid);
    }

    [TearDown]
    public void DeleteRepository() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Load_ValidFile_BuildsImageNamesAndPaths()
    {
        var p = Load(new() { ["env"] = "staging" });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(p.Image.Tagged("1a2b3c4"), Is.EqualTo("gcr.io/acme-prod/purchase_predict_api:1a2b3c4"));
            Assert.That(p.MovingTag, Is.EqualTo("staging"));
            Assert.That(p.Repository, Is.EqualTo(_root));
            Assert.That(p.PublishMode, Is.EqualTo(PublishMode.ReadyToRun));
            Assert.That(p.IsSandbox, Is.False);
            Assert.That(p.Paths.ImageJson, Is.EqualTo(Path.Combine(_root, "artifacts", "image.json")));
        }
    }

    [Test]
    public void Load_ArtifactRegistry_PutsRepositoryInThePath()
    {
        var p = Load(new() { ["env"] = "staging", ["registry"] = "europe-west1-docker.pkg.dev", ["artifact-repository"] = "images" });
        Assert.That(p.Image.Repository, Is.EqualTo("europe-west1-docker.pkg.dev/acme-prod/images/purchase_predict_api"));
    }

    [Test]
    public void Load_ArgumentBeatsVariableBeatsFile()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Load(new() { ["env"] = "staging" }, new() { ["PP_PROJECT"] = "from-variable" }).Image.Project, Is.EqualTo("from-variable"));
            Assert.That(Load(new() { ["env"] = "staging", ["project"] = "from-argument" }, new() { ["PP_PROJECT"] = "from-variable" }).Image.Project, Is.EqualTo("from-argument"));
        }
    }

    [TestCase("My_Project", "lowercase letters, digits and hyphens")]
    [TestCase("abc", "6 to 30 characters")]
    [TestCase("1project", "starting with a letter")]
    [TestCase("project-", "not ending with a hyphen")]
    [TestCase("my-google-project", "may not contain 'google'")]
    public void Load_BadProjectIdFromArgument_NamesSettingAndSource(string project, string why) =>
        Assert.That(() => Load(new() { ["env"] = "staging", ["project"] = project }),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith($"Setting 'project' = '{project}' (from argument --project)").And.Message.Contains(why));

    [Test]
    public void Load_BadProjectIdFromVariable_NamesVariable() =>
        Assert.That(() => Load(new() { ["env"] = "staging" }, new() { ["PP_PROJECT"] = "Bad" }),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith("Setting 'project' = 'Bad' (from environment variable PP_PROJECT)"));

    [Test]
    public void Load_BadProjectIdInFile_NamesFile()
    {
        WriteEnvironment("staging", Valid.Replace("acme-prod", "ACME"));
        Assert.That(() => Load(new() { ["env"] = "staging" }),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith($"Setting 'project' = 'ACME' (from {Path.Combine(_root, "ops", "environments", "staging.json")} (project))"));
    }

    [TestCase("docker.io")]
    [TestCase("gcr.example.com")]
    [TestCase("europe-west1-docker.pkg.dev.evil.com")]
    [TestCase("10.0.0.1:5000")]
    public void Load_UnknownRegistry_NamesSetting(string registry) =>
        Assert.That(() => Load(new() { ["env"] = "staging", ["registry"] = registry }),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith($"Setting 'registry' = '{registry}' (from argument --registry)"));

    [TestCase("gcr.io")]
    [TestCase("eu.gcr.io")]
    [TestCase("us.gcr.io")]
    [TestCase("asia.gcr.io")]
    [TestCase("127.0.0.1:5000")]
    public void Load_KnownRegistry_Accepted(string registry) =>
        Assert.That(Load(new() { ["env"] = "staging", ["registry"] = registry }).Image.Registry, Is.EqualTo(registry));

    [Test]
    public void Load_ArtifactRegistryWithoutRepository_SaysWhatIsMissing() =>
        Assert.That(() => Load(new() { ["env"] = "staging", ["registry"] = "us-docker.pkg.dev" }),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith("Setting 'artifactRepository' is missing"));

    [Test]
    public void Load_MissingSetting_SaysWhereToSetIt()
    {
        WriteEnvironment("staging", Valid.Replace("\"project\": \"acme-prod\",", ""));
        Assert.That(() => Load(new() { ["env"] = "staging" }),
            Throws.TypeOf<SettingsException>().With.Message.EqualTo(
                $"Setting 'project' is missing: set it in {Path.Combine(_root, "ops", "environments", "staging.json")}, pass --project=..., or set PP_PROJECT."));
    }

    [Test]
    public void Load_UnknownEnvironment_ListsTheKnownOnes() =>
        Assert.That(() => Load(new() { ["env"] = "prod" }),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith("Setting 'env' = 'prod' (from argument --env)").And.Message.Contains("environments: staging"));

    [TestCase("-x")]
    [TestCase("a..b")]
    [TestCase("feature/")]
    [TestCase("x.lock")]
    public void Load_BadBranchName_Refused(string branch) =>
        Assert.That(() => Load(new() { ["env"] = "staging", ["branch"] = branch }),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith($"Setting 'branch' = '{branch}' (from argument --branch)"));

    [Test]
    public void Load_PipelineTestsAsTestProject_RefusedBecauseItWouldRecurse() =>
        Assert.That(() => Load(new() { ["env"] = "staging", ["tests"] = "tests/PurchasePredict.Pipeline.Tests" }),
            Throws.TypeOf<SettingsException>().With.Message.Contains("would recurse"));

    [Test]
    public void Load_TestsAsCommaSeparatedArgument_Split() =>
        Assert.That(Load(new() { ["env"] = "staging", ["tests"] = "tests/A.Tests, tests/B.Tests" }).TestProjects,
            Is.EqualTo(new[] { "tests/A.Tests", "tests/B.Tests" }));

    [Test]
    public void Load_GoogleCredentialsForLoopbackRegistry_Refused() =>
        Assert.That(() => Load(new() { ["env"] = "staging", ["registry"] = "127.0.0.1:5000", ["registry-auth"] = "application-default" }),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith("Setting 'registryAuth' = 'application-default' (from argument --registry-auth)"));

    [Test]
    public void Load_MissingKeyFile_NamesIt() =>
        Assert.That(() => Load(new() { ["env"] = "staging", ["registry-auth"] = "service-account-key", ["service-account-key"] = "nope.json" }),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith("Setting 'serviceAccountKey' = 'nope.json' (from argument --service-account-key): no such file"));

    [Test]
    public void Load_Sandbox_AuthenticatesLikeAGcpProject_WithItsOwnMetadataServerAndKey()
    {
        var sandbox = BuildParameters.Load(RepositoryRoot.Find(), _ => null, _ => null, dryRun: false, _ => { });
        var withKey = BuildParameters.Load(RepositoryRoot.Find(), name => name == "registry-auth" ? "service-account-key" : null, _ => null, dryRun: false, _ => { });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sandbox.Auth, Is.EqualTo(RegistryAuth.ApplicationDefault));
            Assert.That(sandbox.MetadataHost, Is.EqualTo("127.0.0.1:9189"));
            Assert.That(withKey.Auth, Is.EqualTo(RegistryAuth.ServiceAccountKey));
            // Made by the Sandbox task, so not required to exist yet.
            Assert.That(withKey.ServiceAccountKey, Is.EqualTo(withKey.Paths.SandboxKey("purchase-predict-ci")));
        }
    }

    [TestCase("", true)]
    [TestCase("false", false)]
    public void Load_Force_BareFlagMeansTrue(string value, bool expected) =>
        Assert.That(Load(new() { ["env"] = "staging", ["force"] = value }).Force, Is.EqualTo(expected));

    [Test]
    public void ShippedEnvironments_AreValid()
    {
        var repository = RepositoryRoot.Find();
        foreach (var environment in new[] { "sandbox", "staging" })
        {
            var p = BuildParameters.Load(repository, name => name == "env" ? environment : null, _ => null, dryRun: false, _ => { });
            Assert.That(p.Environment, Is.EqualTo(environment));
        }
    }

    private void WriteEnvironment(string name, string json) =>
        File.WriteAllText(Path.Combine(_root, "ops", "environments", name + ".json"), json);

    private BuildParameters Load(Dictionary<string, string> arguments, Dictionary<string, string>? variables = null) =>
        BuildParameters.Load(_root, arguments.GetValueOrDefault, name => variables?.GetValueOrDefault(name), dryRun: false, _ => { });
}
