namespace PurchasePredict.Pipeline.Tests;

// Golden strings: the skopeo command lines Push and Verify run against the registry.
public class SkopeoTests
{
    [Test]
    public void Digest_OfARemoteRegistry_VerifiesTls_AndUsesDockersCredentials() =>
        Assert.That(Skopeo.Digest("europe-west1-docker.pkg.dev/p/r/purchase_predict_api:1a2b3c4", "/root/.docker/config.json", plainHttp: false).ToString(),
            Is.EqualTo("skopeo inspect --no-tags --format '{{.Digest}}' --authfile /root/.docker/config.json --tls-verify=true docker://europe-west1-docker.pkg.dev/p/r/purchase_predict_api:1a2b3c4"));

    [Test]
    public void Copy_ToTheSandboxRegistry_PreservesDigests_OverPlainHttp() =>
        Assert.That(Skopeo.Copy("/r/artifacts/image", "127.0.0.1:5000/p/purchase_predict_api:1a2b3c4", "/root/.docker/config.json", plainHttp: true, "/r/artifacts/pushed-digest").ToString(),
            Is.EqualTo("skopeo copy --quiet --preserve-digests --digestfile /r/artifacts/pushed-digest --dest-authfile /root/.docker/config.json --dest-tls-verify=false " +
                "oci:/r/artifacts/image docker://127.0.0.1:5000/p/purchase_predict_api:1a2b3c4"));

    [Test]
    public void Copy_FromALayoutWhosePathHasAColon_IsRefused() =>
        Assert.That(() => Skopeo.Copy("/r:x/artifacts/image", "127.0.0.1:5000/p/i:1", "/c.json", plainHttp: true, "/d"),
            Throws.ArgumentException.With.Message.Contains("':'"));

    [TestCase("time=\"...\" level=fatal msg=\"Error parsing image name: reading manifest 1a2b3c4 in 127.0.0.1:5000/p/i: manifest unknown: manifest unknown\"", true)]
    [TestCase("level=fatal msg=\"... name unknown: repository name not known to registry\"", true)]
    [TestCase("level=fatal msg=\"... unauthorized: authentication required\"", false)]
    [TestCase("level=fatal msg=\"... connect: connection refused\"", false)]
    public void IsAbsent_OnlyForAMissingTagOrRepository(string error, bool absent) =>
        Assert.That(ImageRegistry.IsAbsent(error), Is.EqualTo(absent));
}
