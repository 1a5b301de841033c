namespace PurchasePredict.Pipeline.Tests;

// The identity a service's GET /model answers, as Reload, Status and the history read it (build/deploy/ServedModel.cs).
public class ServedModelTests
{
    private const string Registry = """{"source":"models:/purchase_predict@staging (or stage staging)","location":"gs://b/m/model.lgb","registry":{"name":"purchase_predict","version":"2","alias":"staging","stage":null},"generation":17,"sha256":"0123456789abcdef0123","objective":"binary sigmoid:1","trees":3,"features":5,"loadedAt":"2026-12-01T00:00:00+00:00"}""";

    [Test]
    public void Parse_ReadsTheIdentity_AndDescribesIt()
    {
        var model = ServedModel.Parse(Registry, "vm1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((model.Sha256, model.Version, model.Alias, model.Generation), Is.EqualTo(("0123456789abcdef0123", "2", "staging", 17L)));
            Assert.That(model.ToString(), Is.EqualTo("models:/purchase_predict@staging (or stage staging) version 2 (alias staging) generation 17 sha256 0123456789ab"));
            Assert.That(model.IsPinned, Is.False);
        }
    }

    [TestCase("<html>not json</html>", "answered no model identity")]
    [TestCase("{\"source\":\"x\"}", "answered no sha256")]
    public void Parse_NotAnIdentity_FailsNamingTheVm(string answer, string message) =>
        Assert.That(() => ServedModel.Parse(answer, "vm1"), Throws.TypeOf<DeployException>().With.Message.StartsWith("vm1: GET /model").And.Message.Contains(message));

    [TestCase("models:/purchase_predict/3", true)]
    [TestCase("gs://b/model.txt#1701234567890123", true)]
    [TestCase("models:/purchase_predict@staging", false)]
    [TestCase("models:/purchase_predict/Staging", false)]
    [TestCase("models:/purchase_predict/latest", false)]
    [TestCase("gs://b/model.txt", false)]
    public void IsPinned_OnlyAVersionOrAGeneration(string source, bool pinned) =>
        Assert.That(new ServedModel("00", source, null, null, null, "{}").IsPinned, Is.EqualTo(pinned));
}
