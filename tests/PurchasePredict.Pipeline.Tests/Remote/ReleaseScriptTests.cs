namespace PurchasePredict.Pipeline.Tests;

// build/remote/install-release.sh and restore-release.sh with a real shell and a fake systemctl.
// install-release.sh gives the files to root, so those tests need root (CI runs as root).
public class ReleaseScriptTests
{
    private ScriptBench _bench = null!;

    private string Unit => _bench["etc/purchase_predict_api.service"];

    private string Env => _bench["etc/purchase_predict_api"];

    private string Previous => _bench["state/previous"];

    private string Request => _bench["state/request.json"];

    [SetUp]
    public void Create()
    {
        _bench = new ScriptBench();
        Directory.CreateDirectory(_bench["etc"]);
        Directory.CreateDirectory(_bench["state"]);
        _bench.Fake("systemctl", "[ \"$1\" = show ] && echo 3; exit 0");
    }

    [TearDown]
    public void Dispose() => _bench.Dispose();

    [Test]
    public void Install_SavesTheRunningFiles_ThenPutsTheStagedOnesInPlace()
    {
        RequireRoot();
        File.WriteAllText(Unit, "old unit");
        File.WriteAllText(Env, "OLD=1");
        var result = _bench.Run("install-release.sh", Stage("new unit", "NEW=1"), Unit, Env, Previous, Request);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(File.ReadAllText(Unit), Is.EqualTo("new unit"));
            Assert.That(File.ReadAllText(Env), Is.EqualTo("NEW=1"));
            Assert.That(File.GetUnixFileMode(Env), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.ReadAllText(Path.Combine(Previous, "unit")), Is.EqualTo("old unit"));
            Assert.That(File.ReadAllText(Path.Combine(Previous, "env")), Is.EqualTo("OLD=1"));
            Assert.That(File.ReadAllText(Request), Is.EqualTo("[{}]"));
            Assert.That(Directory.GetFiles(_bench["etc"]), Has.None.EndsWith(".new"));
        }
    }

    [Test]
    public void Install_OnAFreshVm_SavesNothing()
    {
        RequireRoot();
        var result = _bench.Run("install-release.sh", Stage("new unit", "NEW=1"), Unit, Env, Previous, Request);
        Assert.That((result.ExitCode, Directory.GetFiles(Previous)), Is.EqualTo((0, Array.Empty<string>())));
    }

    [Test]
    public void Install_FromAnIncompleteStage_FailsBeforeTheEnvFileChanges()
    {
        RequireRoot();
        File.WriteAllText(Env, "OLD=1");
        var stage = Stage("new unit", "NEW=1");
        File.Delete(Path.Combine(stage, "purchase_predict_api.env"));
        var result = _bench.Run("install-release.sh", stage, Unit, Env, Previous, Request);
        Assert.That((result.ExitCode != 0, File.ReadAllText(Env)), Is.EqualTo((true, "OLD=1")));
    }

    [Test]
    public void Restore_PutsTheSavedFilesBack_AndRestartsWhenAskedTo()
    {
        Directory.CreateDirectory(Previous);
        File.WriteAllText(Path.Combine(Previous, "unit"), "old unit");
        File.WriteAllText(Path.Combine(Previous, "env"), "OLD=1");
        File.WriteAllText(Unit, "new unit");
        File.WriteAllText(Env, "NEW=1");
        var result = _bench.Run("restore-release.sh", Unit, Env, Previous, "restart");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.StandardOutput, Is.EqualTo("restored 3\n"));
            Assert.That((File.ReadAllText(Unit), File.ReadAllText(Env)), Is.EqualTo(("old unit", "OLD=1")));
            Assert.That(_bench.Calls, Is.EqualTo(new[]
            {
                "systemctl daemon-reload",
                "systemctl restart purchase_predict_api.service",
                "systemctl show --property=NRestarts --value purchase_predict_api.service",
            }));
        }
    }

    [Test]
    public void Restore_BeforeTheRestart_LeavesTheRunningServiceAlone()
    {
        Directory.CreateDirectory(Previous);
        File.WriteAllText(Path.Combine(Previous, "unit"), "old unit");
        _bench.Run("restore-release.sh", Unit, Env, Previous, "keep");
        Assert.That(_bench.Calls, Has.None.Contains("restart"));
    }

    [Test]
    public void Restore_AfterAFirstDeploy_RemovesTheServiceAltogether()
    {
        File.WriteAllText(Unit, "new unit");
        File.WriteAllText(Env, "NEW=1");
        var result = _bench.Run("restore-release.sh", Unit, Env, Previous, "restart");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.StandardOutput, Is.EqualTo("none\n"));
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
