namespace PurchasePredict.Pipeline.Tests;

// artifacts/image.json: written by Push and read by Deploy with the same type.
public class PushedImageTests
{
    private string _file = "";

    [SetUp]
    public void CreateFile() => _file = Path.Combine(Path.GetTempPath(), "image-" + Guid.NewGuid() + ".json");

    [TearDown]
    public void DeleteFile() => File.Delete(_file);

    [Test]
    public void PushedImage_RoundTrips()
    {
        var image = new PushedImage("gcr.io/acme-prod/purchase_predict_api", "sha256:" + new string('a', 64), "1a2b3c4d", "staging", "staging",
            ["gcr.io/acme-prod/purchase_predict_api:1a2b3c4"], DateTimeOffset.UnixEpoch);
        File.WriteAllText(_file, image.ToJson());
        var read = PushedImage.Read(_file);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read with { Tags = image.Tags }, Is.EqualTo(image));
            Assert.That(read.Tags, Is.EqualTo(image.Tags));
            Assert.That(read.Reference, Is.EqualTo("gcr.io/acme-prod/purchase_predict_api@sha256:" + new string('a', 64)));
        }
    }

    [Test]
    public void DeployImage_ReadsTheDigestAndCommitPushWrote()
    {
        File.WriteAllText(_file, $$"""{"repository": "127.0.0.1:5000/p/purchase_predict_api", "digest": "sha256:{{new string('b', 64)}}", "commit": "0123456789abcdef0123456789abcdef01234567"}""");
        Assert.That(PushedImage.Read(_file).Reference, Is.EqualTo("127.0.0.1:5000/p/purchase_predict_api@sha256:" + new string('b', 64)));
    }

    [Test]
    public void Json_NamesTheReferenceForReaders() =>
        Assert.That(DeployTestDataImage().ToJson(), Does.Contain("\"reference\": \"127.0.0.1:5000/purchase-predict-sandbox/purchase_predict_api@sha256:"));

    [TestCase("")]
    [TestCase("{\"repository\": \"r\", \"digest\": \"sha256:short\", \"commit\": \"0123456\"}")]
    [TestCase("{\"repository\": \"r\", \"digest\": \"sha256:" + "0000000000000000000000000000000000000000000000000000000000000000" + "\"}")]
    public void Read_SomethingElse_SaysWhatIsExpected(string content)
    {
        File.WriteAllText(_file, content);
        Assert.That(() => PushedImage.Read(_file), Throws.TypeOf<DeployException>().With.Message.StartsWith(_file));
    }

    // The reference reaches the unit file and the VMs' command lines.
    [TestCase("127.0.0.1:5000/p/purchase_predict_api\n[Service]\nExecStartPre=/usr/bin/touch /tmp/x")]
    [TestCase("127.0.0.1:5000/p/purchase_predict_api image")]
    [TestCase("-oProxyCommand=x/purchase_predict_api")]
    [TestCase("purchase_predict_api")]
    public void Read_ARepositoryThatIsNoImageName_IsRefused(string repository)
    {
        File.WriteAllText(_file, System.Text.Json.JsonSerializer.Serialize(new { repository, digest = "sha256:" + new string('b', 64), commit = "0123456" }));
        Assert.That(() => PushedImage.Read(_file), Throws.TypeOf<DeployException>().With.Message.Contains("\"repository\" (<registry>/<path>)"));
    }

    [Test]
    public void Read_NoFile_SaysToPushFirst() =>
        Assert.That(() => PushedImage.Read(_file), Throws.TypeOf<DeployException>().With.Message.Contains("run ./build.sh --target=Deploy (it pushes first)"));

    private static PushedImage DeployTestDataImage() => DeployTestData.Image;
}
