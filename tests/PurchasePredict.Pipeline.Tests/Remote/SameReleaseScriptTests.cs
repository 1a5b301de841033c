namespace PurchasePredict.Pipeline.Tests;

// build/remote/same-release.sh with a real shell, real files, real curl against a service on 127.0.0.1,
// and fake systemctl and docker: when may Deploy leave a VM alone?
public class SameReleaseScriptTests
{
    private const string Image = "r/i@sha256:1";
    private ScriptBench _bench = null!;
    private LocalHttpServer _service = null!;

    [SetUp]
    public void Create()
    {
        _bench = new ScriptBench();
        _service = new LocalHttpServer(_ => new StandInAnswer(200, "Ready"));
        // What the VM runs: this unit, env file and image, recorded as the last verified release.
        foreach (var folder in new[] { "stage", "history/20260101T000000Z-a", "history/20260102T000000Z-b" })
        {
            _bench.Write($"{folder}/purchase_predict_api.service", "unit");
            _bench.Write($"{folder}/purchase_predict_api.env", "TOKEN=x\\");
            _bench.Write($"{folder}/image", Image + "\n");
        }
        _bench.Write("history/20260101T000000Z-a/image", "r/i@sha256:0\n");
        _bench.Write("etc/purchase_predict_api.service", "unit");
        _bench.Write("etc/purchase_predict_api", "TOKEN=x\\");
        _bench.Fake("systemctl", "echo active");
        _bench.Fake("docker", $"echo 'true {Image}'");
    }

    [TearDown]
    public void Dispose()
    {
        _service.Dispose();
        _bench.Dispose();
    }

    [Test]
    public void SameUnitEnvFileAndImage_RunningVerifiedAndReady_IsTheSame() =>
        Assert.That(Run(), Is.EqualTo("same"));

    [TestCase("etc/purchase_predict_api", "TOKEN=y", "differs: the env file")]
    [TestCase("etc/purchase_predict_api.service", "other unit", "differs: the unit file")]
    [TestCase("history/20260102T000000Z-b/image", "r/i@sha256:0\n", "differs: the release verified last")]
    public void AnyFileDiffering_IsADifference(string file, string content, string expected)
    {
        _bench.Write(file, content);
        Assert.That(Run(), Is.EqualTo(expected));
    }

    [Test]
    public void AnotherRunningImage_IsADifference()
    {
        _bench.Fake("docker", "echo 'true r/i@sha256:0'");
        Assert.That(Run(), Is.EqualTo("differs: the running image"));
    }

    [Test]
    public void AStoppedService_IsADifference()
    {
        _bench.Fake("systemctl", "echo inactive");
        Assert.That(Run(), Is.EqualTo("differs: purchase_predict_api.service is not active"));
    }

    // Installed but never verified (a deploy killed after install): not the same, it must be verified.
    [Test]
    public void NoHistory_IsADifference()
    {
        Directory.Delete(_bench["history"], recursive: true);
        Assert.That(Run(), Is.EqualTo("differs: no verified release in the history"));
    }

    [Test]
    public void AServiceThatIsNotReady_IsADifference()
    {
        using var down = new LocalHttpServer(_ => new StandInAnswer(503, "model not loaded"));
        Assert.That(Run(down.Url), Is.EqualTo("differs: GET /health/ready is not 200"));
    }

    private string Run(string? url = null)
    {
        var result = _bench.Run("same-release.sh", _bench["stage"], _bench["etc/purchase_predict_api.service"], _bench["etc/purchase_predict_api"],
            "purchase_predict_api.service", "purchase_predict_api", _bench["history"], url ?? _service.Url);
        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
        return result.StandardOutput.Trim();
    }
}
