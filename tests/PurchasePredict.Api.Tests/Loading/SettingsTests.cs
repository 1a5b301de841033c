using Microsoft.Extensions.Configuration;
using PurchasePredict.Api.Loading;
using PurchasePredict.Api.Settings;

namespace PurchasePredict.Api.Tests.Loading;

public class SettingsTests
{
    private static ApiSettings Load(params (string Key, string Value)[] values) =>
        ApiSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());

    [TestCase("/srv/model.txt", "/srv/model.txt")]
    [TestCase("models/demo/model.txt", "models/demo/model.txt")]
    [TestCase("file:///srv/my%20model.txt", "/srv/my model.txt")]
    public void ModelUri_PathOrFile_IsLocal(string uri, string path) =>
        Assert.That(ModelLocation.Parse(uri), Is.EqualTo(new LocalModel(path)));

    [Test]
    public void ModelUri_Gs_SplitsBucketAndObject() =>
        Assert.That(ModelLocation.Parse("gs://models-bucket/purchase/3/model.lgb"), Is.EqualTo(new GcsModel("models-bucket", "purchase/3/model.lgb")));

    [TestCase("models:/purchase@champion", RegistryReference.Alias, "champion")]
    [TestCase("models:/purchase/Staging", RegistryReference.Stage, "Staging")]
    [TestCase("models:/purchase/12", RegistryReference.Version, "12")]
    [TestCase("models:/purchase/latest", RegistryReference.Latest, "latest")]
    public void ModelUri_Registry_ReadsNameAndReference(string uri, RegistryReference kind, string reference) =>
        Assert.That(ModelLocation.Parse(uri), Is.EqualTo(new RegistryModel("purchase", kind, reference)));

    [Test]
    public void ArtifactDirectory_PointsAtTheLightgbmFlavoursFile() =>
        Assert.That(ModelLocation.ForArtifactDirectory("gs://b/1/abc/artifacts/model/"), Is.EqualTo(new GcsModel("b", "1/abc/artifacts/model/model.lgb")));

    [Test]
    public void GsUri_WithGeneration_PinsThatGeneration() =>
        Assert.That(ModelLocation.Parse("gs://b/purchase/model.txt#1701234567890123"), Is.EqualTo(new GcsModel("b", "purchase/model.txt", 1701234567890123)));

    [TestCase("gs://b/model.txt#")]
    [TestCase("gs://b/model.txt#-3")]
    [TestCase("gs://b/model.txt#0")]
    [TestCase("gs://b/model.txt#latest")]
    public void GsUri_WithBadGeneration_SaysWhatIsExpected(string uri) =>
        Assert.That(() => Load(("MODEL_URI", uri)), Throws.TypeOf<SettingsException>().With.Message.Contains("gs://BUCKET/OBJECT#GENERATION (a positive whole number)"));

    [TestCase("gs://bucket-only", "gs://BUCKET/OBJECT")]
    [TestCase("gs://bucket/", "gs://BUCKET/OBJECT")]
    [TestCase("models:/@alias", "models:/NAME@ALIAS")]
    [TestCase("models:/name", "models:/NAME/STAGE")]
    [TestCase("https://example.invalid/model.txt", "unsupported scheme 'https'")]
    public void ModelUri_Invalid_SaysWhatIsExpected(string uri, string message) =>
        Assert.That(() => Load(("MODEL_URI", uri)), Throws.TypeOf<SettingsException>().With.Message.Contains(message).And.Message.Contains($"MODEL_URI='{uri}'"));

    [Test]
    public void Defaults_AreDocumented()
    {
        var settings = Load(("MODEL_URI", "/m.txt"));
        Assert.That((settings.Port, settings.MaxBodyBytes, settings.MaxRows), Is.EqualTo((8080, 10L * 1024 * 1024, 10_000)));
    }

    [Test]
    public void TutorialEnvFile_MeansRegistryAliasOrStage_AndBareHostGetsHttp()
    {
        var settings = Load(("MLFLOW_SERVER", "mlflow-vm:5000"), ("MLFLOW_REGISTRY_NAME", "purchase_predict"), ("ENV", "staging"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Model, Is.EqualTo(new RegistryModel("purchase_predict", RegistryReference.AliasOrStage, "staging")));
            Assert.That(settings.MlflowServer, Is.EqualTo(new Uri("http://mlflow-vm:5000")));
        }
    }

    [TestCase("PORT", "-1")]
    [TestCase("PORT", "http")]
    [TestCase("MAX_ROWS", "0")]
    [TestCase("MAX_BODY_BYTES", "1e6")]
    [TestCase("MLFLOW_SERVER", "ftp://mlflow")]
    [TestCase("METRICS", "maybe")]
    [TestCase("ACCESS_LOG", "yes")]
    [TestCase("MODEL_NAME", "a/b")]
    [TestCase("MODEL_NAME", "..")]
    public void InvalidValue_NamesTheVariableAndValue(string key, string value) =>
        Assert.That(() => Load(("MODEL_URI", "/m.txt"), (key, value)), Throws.TypeOf<SettingsException>().With.Message.StartsWith($"{key}='{value}'"));

    [TestCase(null, null, "purchase_predict")]
    [TestCase("shop_buyers", null, "shop_buyers")]
    [TestCase(null, "models:/buyers@staging", "buyers")]
    [TestCase("shop_buyers", "models:/buyers@staging", "shop_buyers")]
    public void ServedModelName_IsModelNameElseTheRegisteredNameElsePurchasePredict(string? modelName, string? registry, string expected)
    {
        List<(string, string)> values = [("MODEL_URI", registry ?? "/m.txt"), ("MLFLOW_SERVER", "http://mlflow:5000")];
        if (modelName is not null) values.Add(("MODEL_NAME", modelName));
        Assert.That(ServedModelName.Name(Load([.. values])), Is.EqualTo(expected));
    }

    private static StorageSettings Storage(params (string Key, string Value)[] values) =>
        StorageSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());

    [TestCase("STORAGE_ENDPOINT", "http://127.0.0.1:9199", false)]
    [TestCase("STORAGE_EMULATOR_HOST", "127.0.0.1:9199", true)]
    public void StorageEndpoint_AuthenticatesUnlessItIsAnEmulator(string key, string value, bool anonymous) =>
        Assert.That(Storage((key, value)), Is.EqualTo(new StorageSettings(new Uri("http://127.0.0.1:9199/"), anonymous)));

    [Test]
    public void StorageUnset_IsGooglesWithCredentials() =>
        Assert.That(Storage(), Is.EqualTo(new StorageSettings(null, Anonymous: false)));

    [TestCase("STORAGE_ENDPOINT", "127.0.0.1:9199")]
    [TestCase("STORAGE_ENDPOINT", "http://127.0.0.1:9199/storage/v1/")]
    [TestCase("STORAGE_EMULATOR_HOST", "ftp://127.0.0.1:9199")]
    public void StorageEndpoint_NotAHostUrl_NamesTheVariable(string key, string value) =>
        Assert.That(() => Storage((key, value)), Throws.TypeOf<SettingsException>().With.Message.StartsWith($"{key}='{value}' is not an http(s) URL of a host"));

    [Test]
    public void StorageEndpointAndEmulator_BothSet_IsRefused() =>
        Assert.That(() => Storage(("STORAGE_ENDPOINT", "http://a:1"), ("STORAGE_EMULATOR_HOST", "b:2")),
            Throws.TypeOf<SettingsException>().With.Message.Contains("are both set"));

    [Test]
    public void NothingConfigured_SaysWhatToSet() =>
        Assert.That(() => Load(("MLFLOW_SERVER", "http://mlflow:5000"), ("ENV", "staging")),
            Throws.TypeOf<SettingsException>().With.Message.EqualTo("no model configured: set MODEL_URI, or MLFLOW_SERVER, MLFLOW_REGISTRY_NAME and ENV"));
}
