namespace PurchasePredict.Pipeline.Tests;

// Golden strings: the skopeo command lines Push, Verify and the environment's tag run against the registry.
public class SkopeoTests
{
    [Test]
    public void Login_TokenGoesToStdin_IntoTheRunsOwnAuthFile()
    {
        var command = Skopeo.Login("europe-west1-docker.pkg.dev", "oauth2accesstoken", new Secret("ya29.token"), "/tmp/pp-x/auth.json", plainHttp: false);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(command.ToString(), Is.EqualTo(
                "skopeo login --authfile /tmp/pp-x/auth.json --tls-verify=true --username oauth2accesstoken --password-stdin europe-west1-docker.pkg.dev"));
            Assert.That(command.ArgumentValues(), Has.None.Contains("ya29"));
            Assert.That(command.StandardInput?.Value, Is.EqualTo("ya29.token"));
        }
    }

    [Test]
    public void Digest_OfARemoteRegistry_VerifiesTls_WithTheRunsCredentials() =>
        Assert.That(Skopeo.Digest("europe-west1-docker.pkg.dev/p/r/purchase_predict_api:1a2b3c4", "/tmp/pp-x/auth.json", plainHttp: false).ToString(),
            Is.EqualTo("skopeo inspect --no-tags --format '{{.Digest}}' --authfile /tmp/pp-x/auth.json --tls-verify=true docker://europe-west1-docker.pkg.dev/p/r/purchase_predict_api:1a2b3c4"));

    [Test]
    public void Digest_WithoutCredentialsOfOurs_LeavesTheSearchToSkopeo() =>
        Assert.That(Skopeo.Digest("127.0.0.1:5000/p/purchase_predict_api:1a2b3c4", null, plainHttp: true).ToString(),
            Is.EqualTo("skopeo inspect --no-tags --format '{{.Digest}}' --tls-verify=false docker://127.0.0.1:5000/p/purchase_predict_api:1a2b3c4"));

    [Test]
    public void Copy_ToTheSandboxRegistry_PreservesDigests_OverPlainHttp() =>
        Assert.That(Skopeo.Copy("/r/artifacts/image", "127.0.0.1:5000/p/purchase_predict_api:1a2b3c4", "/tmp/pp-x/auth.json", plainHttp: true, "/r/artifacts/pushed-digest").ToString(),
            Is.EqualTo("skopeo copy --quiet --preserve-digests --digestfile /r/artifacts/pushed-digest --dest-authfile /tmp/pp-x/auth.json --dest-tls-verify=false " +
                "oci:/r/artifacts/image docker://127.0.0.1:5000/p/purchase_predict_api:1a2b3c4"));

    [Test]
    public void Retag_CopiesTheManifestByDigest_WithinTheRegistry() =>
        Assert.That(Skopeo.Retag("127.0.0.1:5000/p/i@sha256:ab", "127.0.0.1:5000/p/i:sandbox", "/tmp/pp-x/auth.json", plainHttp: true, "/r/artifacts/pushed-digest").ToString(),
            Is.EqualTo("skopeo copy --quiet --preserve-digests --digestfile /r/artifacts/pushed-digest --src-authfile /tmp/pp-x/auth.json --dest-authfile /tmp/pp-x/auth.json " +
                "--src-tls-verify=false --dest-tls-verify=false docker://127.0.0.1:5000/p/i@sha256:ab docker://127.0.0.1:5000/p/i:sandbox"));

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
