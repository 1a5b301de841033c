namespace PurchasePredict.Pipeline.Tests;

// build/remote/running-image.sh (what Verify asks each VM) with a real shell and a fake docker.
public class RunningImageScriptTests
{
    private ScriptBench _bench = null!;

    [SetUp]
    public void Create() => _bench = new ScriptBench();

    [TearDown]
    public void Dispose() => _bench.Dispose();

    [Test]
    public void AContainer_PrintsWhetherItRuns_ItsImageId_AndItsReference()
    {
        _bench.Fake("docker", "echo 'true sha256:c0 r/i@sha256:d1'");
        var result = _bench.Run("running-image.sh", "purchase_predict_api");
        Assert.That((result.ExitCode, result.StandardOutput.Trim(), _bench.Calls.Single()), Is.EqualTo((0, "true sha256:c0 r/i@sha256:d1",
            "docker inspect --format {{.State.Running}} {{.Image}} {{.Config.Image}} purchase_predict_api")));
    }

    [Test]
    public void NoContainer_PrintsNone()
    {
        _bench.Fake("docker", "echo 'Error: No such object' >&2; exit 1");
        var result = _bench.Run("running-image.sh", "purchase_predict_api");
        Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((0, "none")));
    }

    [Test]
    public void WithoutItsArgument_SaysHowToCallIt() =>
        Assert.That(_bench.Run("running-image.sh").ExitCode, Is.EqualTo(2));
}
