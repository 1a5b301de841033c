namespace PurchasePredict.Pipeline.Tests;

// build/remote/install-release.sh and remove-release.sh with a real shell and a fake systemctl.
// install-release.sh gives the files to root, so those tests need root (CI runs as root).
public class ReleaseScriptTests
{
    private ScriptBench _bench = null!;

    private string Unit => _bench["etc/purchase_predict_api.service"];

    private string Env => _bench["etc/purchase_predict_api"];

    private string Request => _bench["state/request.json"];

    [SetUp]
    public void Create()
    {
        _bench = new ScriptBench();
        Directory.CreateDirectory(_bench["etc"]);
        Directory.CreateDirectory(_bench["state"]);
        _bench.Fake("systemctl");
    }

    [TearDown]
    public void Dispose() => _bench.Dispose();

    [Test]
    public void Install_PutsTheStagedFilesInPlace_RootOnlyEnvFile_AndKeepsNoCopyOfTheOldOnes()
    {
        RequireRoot();
        File.WriteAllText(Unit, "old unit");
        File.WriteAllText(Env, "OLD=1");
        var result = _bench.Run("install-release.sh", Stage("new unit", "NEW=1"), Unit, Env, Request);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(File.ReadAllText(Unit), Is.EqualTo("new unit"));
            Assert.That(File.ReadAllText(Env), Is.EqualTo("NEW=1"));
            Assert.That(File.GetUnixFileMode(Env), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.ReadAllText(Request), Is.EqualTo("[{}]"));
            Assert.That(Directory.GetFiles(_bench["etc"]).Concat(Directory.GetFiles(_bench["state"])).Select(Path.GetFileName),
                Is.EquivalentTo(new[] { "purchase_predict_api.service", "purchase_predict_api", "request.json" }));
        }
    }

    [TestCase("purchase_predict_api.env")]
    [TestCase("request.json")]
    public void Install_FromAnIncompleteStage_ChangesNothing(string missing)
    {
        RequireRoot();
        File.WriteAllText(Unit, "old unit");
        File.WriteAllText(Env, "OLD=1");
        var stage = Stage("new unit", "NEW=1");
        File.Delete(Path.Combine(stage, missing));
        var result = _bench.Run("install-release.sh", stage, Unit, Env, Request);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.StandardError, Does.Contain(missing + " is missing"));
            Assert.That((File.ReadAllText(Unit), File.ReadAllText(Env)), Is.EqualTo(("old unit", "OLD=1")));
        }
    }

    [Test]
    public void Remove_AfterAFailedFirstDeploy_TakesTheServiceOff()
    {
        File.WriteAllText(Unit, "new unit");
        File.WriteAllText(Env, "NEW=1");
        var result = _bench.Run("remove-release.sh", Unit, Env);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(File.Exists(Unit) || File.Exists(Env), Is.False);
            Assert.That(_bench.Calls, Is.EqualTo(new[] { "systemctl disable --now purchase_predict_api.service", "systemctl daemon-reload" }));
        }
    }

    private string Stage(string unit, string env)
    {
        var stage = _bench["stage"];
        _bench.Write("stage/purchase_predict_api.service", unit);
        _bench.Write("stage/purchase_predict_api.env", env);
        _bench.Write("stage/request.json", "[{}]");
        return stage;
    }

    private static void RequireRoot()
    {
        if (System.Environment.UserName != "root")
        {
            Assert.Ignore("install-release.sh gives the files to root: run as root (CI does).");
        }
    }
}
