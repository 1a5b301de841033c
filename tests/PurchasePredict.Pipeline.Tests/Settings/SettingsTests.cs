namespace PurchasePredict.Pipeline.Tests;

// The environment file, arguments and variables: names, precedence, unknown keys, types.
public class SettingsTests
{
    private const string FilePath = "ops/environments/x.json";

    [Test]
    public void SettingNames_DeriveFromTheWholePath()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Settings.ArgumentName("deploy.sshUser"), Is.EqualTo("deploy-ssh-user"));
            Assert.That(Settings.VariableName("deploy.sshUser"), Is.EqualTo("PP_DEPLOY_SSH_USER"));
            Assert.That(Settings.VariableName("artifactRepository"), Is.EqualTo("PP_ARTIFACT_REPOSITORY"));
        }
    }

    [Test]
    public void Catalog_ShortNames_AreTheOnesTheDocsGive()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(SettingCatalog.Find("deploy.sshUser")!.Argument, Is.EqualTo("ssh-user"));
            Assert.That(SettingCatalog.Find("deploy.sshUser")!.Variable, Is.EqualTo("PP_SSH_USER"));
            Assert.That(SettingCatalog.Find("deploy.secretsFile")!.Argument, Is.EqualTo("secrets-file"));
            Assert.That(SettingCatalog.Find("deploy.env")!.Argument, Is.EqualTo("deploy-env"));
            Assert.That(SettingCatalog.All.Select(s => s.Argument), Is.Unique);
        }
    }

    [TestCase("""{"projcet": "x"}""", "unknown key 'projcet' (did you mean 'project'?)")]
    [TestCase("""{"deploy": {"sshUsr": "x"}}""", "unknown key 'deploy.sshUsr' (did you mean 'deploy.sshUser'?)")]
    [TestCase("""{"deploy": {"sandbox": {"storagePrt": 1}}}""", "unknown key 'deploy.sandbox.storagePrt' (did you mean 'deploy.sandbox.storagePort'?)")]
    [TestCase("""{"wholly": "unrelated"}""", "unknown key 'wholly'.")]
    public void Parse_UnknownKey_NamesTheKeyAndTheFile(string json, string expected) =>
        Assert.That(() => Parse(json), Throws.TypeOf<SettingsException>().With.Message.EqualTo($"{FilePath}: {expected}" + (expected.EndsWith('.') ? "" : ".")));

    [Test]
    public void Parse_Comments_AreAllowedAtEveryLevel() =>
        Assert.That(Parse("""{"$comment": "a", "deploy": {"$comment": "b", "sshUser": "ops"}}""").File.Deploy!.SshUser, Is.EqualTo("ops"));

    [Test]
    public void Parse_ArgumentBeatsVariableBeatsFile_AndEachKeepsItsSource()
    {
        var arguments = new Dictionary<string, string> { ["ssh-user"] = "from-argument" };
        var variables = new Dictionary<string, string> { ["PP_SSH_USER"] = "from-variable", ["PP_PROJECT"] = "from-variable" };
        var settings = Settings.Parse(FilePath, "x", """{"project": "in-file", "repo": "in-file", "deploy": {"sshUser": "in-file"}}""",
            arguments.GetValueOrDefault, variables.GetValueOrDefault);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.File.Deploy!.SshUser, Is.EqualTo("from-argument"));
            Assert.That(settings.Get("deploy.sshUser")!.Source, Is.EqualTo("argument --ssh-user"));
            Assert.That(settings.File.Project, Is.EqualTo("from-variable"));
            Assert.That(settings.Get("project")!.Source, Is.EqualTo("environment variable PP_PROJECT"));
            Assert.That(settings.Get("repo"), Is.EqualTo(new SettingValue("repo", "in-file", $"{FilePath} (repo)")));
        }
    }

    [Test]
    public void Parse_NullInTheFile_MeansNotSet_SoTheDefaultApplies()
    {
        var settings = Parse("""{"artifactRepository": null, "deploy": {"gracefulTimeoutSeconds": null}}""");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Get("artifactRepository"), Is.Null);
            Assert.That(settings.File.Deploy!.GracefulTimeoutSeconds, Is.EqualTo(30));
        }
    }

    [TestCase("ssh-port", "22x", "Setting 'deploy.sshPort' = '22x' (from argument --ssh-port): expected a whole number.")]
    [TestCase("force", "yes", "Setting 'force' = 'yes' (from argument --force): expected true or false.")]
    [TestCase("tests", "[1, 2]", "Setting 'tests' = '[1, 2]' (from argument --tests): expected a list of strings.")]
    [TestCase("hosts", "[{", "Setting 'deploy.hosts' = '[{' (from argument --hosts): expected JSON.")]
    [TestCase("deploy-env", "[1]", "Setting 'deploy.env' = '[1]' (from argument --deploy-env): expected an object of \"NAME\": \"value\".")]
    [TestCase("hosts", """[{"name": "a", "servicePort": "x"}]""", "hosts[0].servicePort has the wrong type: expected a port number.")]
    public void Parse_ValueOfTheWrongKind_NamesTheSettingAndItsSource(string argument, string value, string expected) =>
        Assert.That(() => Settings.Parse(FilePath, "x", "{}", name => name == argument ? value : null, _ => null),
            Throws.TypeOf<SettingsException>().With.Message.Contains(expected));

    [Test]
    public void Parse_WrongTypeInTheFile_NamesTheFile() =>
        Assert.That(() => Parse("""{"deploy": {"historySize": "many"}}"""),
            Throws.TypeOf<SettingsException>().With.Message.EqualTo($"Setting 'deploy.historySize' = 'many' (from {FilePath} (deploy.historySize)): expected a whole number."));

    [Test]
    public void Parse_SectionThatIsNoObject_SaysSo() =>
        Assert.That(() => Parse("""{"deploy": 5}"""), Throws.TypeOf<SettingsException>().With.Message.EqualTo($"{FilePath}: 'deploy' must be an object."));

    [Test]
    public void Parse_BrokenJson_NamesTheFile() =>
        Assert.That(() => Parse("{\"repo\": "), Throws.TypeOf<SettingsException>().With.Message.StartsWith($"{FilePath} is not valid JSON"));

    [Test]
    public void Parse_ListArgument_IsCommaSeparatedOrJson()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Settings.Parse(FilePath, "x", "{}", n => n == "tests" ? "a, b" : null, _ => null).File.Tests, Is.EqualTo(new[] { "a", "b" }));
            Assert.That(Settings.Parse(FilePath, "x", "{}", n => n == "tests" ? """["a,1"]""" : null, _ => null).File.Tests, Is.EqualTo(new[] { "a,1" }));
        }
    }

    [Test]
    public void Missing_SaysWhereToSetIt() =>
        Assert.That(Parse("{}").Missing("deploy.sshKey").Message,
            Is.EqualTo($"Setting 'deploy.sshKey' is missing: set it in {FilePath}, pass --ssh-key=..., or set PP_SSH_KEY."));

    private static Settings Parse(string json) => Settings.Parse(FilePath, "x", json, _ => null, _ => null);
}
