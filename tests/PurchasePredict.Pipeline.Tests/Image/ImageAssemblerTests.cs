using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace PurchasePredict.Pipeline.Tests;

// The image of a commit from a saved base, the Dockerfile and the published files: the same digest
// from two publish folders of the same files, another one when anything that matters changes.
public class ImageAssemblerTests
{
    private static readonly DateTimeOffset CommitTime = DateTimeOffset.FromUnixTimeSeconds(1764547200);
    private string _root = "";
    private BaseImageArchive _base = null!;
    private DockerfileSpec _spec = null!;

    [SetUp]
    public void CreateInputs()
    {
        _root = Directory.CreateTempSubdirectory("assemble-").FullName;
        _base = SavedBase(Path.Combine(_root, "base"));
        _spec = DockerfileSpec.Read(Path.Combine(RepositoryRoot.Find(), "ops", "Dockerfile"));
    }

    [TearDown]
    public void Delete() => Directory.Delete(_root, recursive: true);

    [Test]
    public void TwoBuildsOfTheSameInputs_InOtherFoldersAndAtOtherTimes_GiveTheSameDigest()
    {
        var first = Assemble("first", Publish("publish-1", new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        var second = Assemble("second", Publish("publish-2", DateTime.UtcNow));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Digest, Is.EqualTo(first.Digest));
            Assert.That(second.ConfigDigest, Is.EqualTo(first.ConfigDigest));
            Assert.That(OciLayout.Read(second.Layout), Is.EqualTo(second).Using<BuiltImage>((a, b) => a.Digest == b.Digest && a.ConfigDigest == b.ConfigDigest));
        }
    }

    [Test]
    public void AnotherCommitTime_OrAnotherFile_GivesAnotherDigest()
    {
        var publish = Publish("publish", DateTime.UtcNow);
        var image = Assemble("image", publish);
        var later = ImageAssembler.Assemble(_base, _spec, publish, Labels(), CommitTime.AddSeconds(1), Path.Combine(_root, "later"));
        File.AppendAllText(Path.Combine(publish, "purchase_predict_api.dll"), "!");
        var changed = Assemble("changed", publish);
        Assert.That(new[] { later.Digest, changed.Digest }, Has.None.EqualTo(image.Digest).And.Unique);
    }

    [Test]
    public void Config_HasTheDockerfilesMetadata_TheLabels_TheCommitsTime_AndEveryLayer()
    {
        var image = Assemble("image", Publish("publish", DateTime.UtcNow));
        var layout = Path.Combine(_root, "image");
        var manifest = Blob(layout, image.Digest);
        var config = Blob(layout, image.ConfigDigest);
        var settings = config["config"]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(manifest["mediaType"]!.GetValue<string>(), Is.EqualTo(OciLayout.ManifestType));
            Assert.That(manifest["layers"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(config["created"]!.GetValue<string>(), Is.EqualTo("2025-12-01T00:00:00Z"));
            Assert.That(config["rootfs"]!["diff_ids"]![0]!.GetValue<string>(), Is.EqualTo(_base.DiffIds[0]));
            Assert.That(settings["Env"]!.AsArray().Select(e => e!.GetValue<string>()), Is.EqualTo(new[] { "PATH=/usr/bin:/bin", "WORKERS=4", "PORT=8080" }));
            Assert.That(settings["Cmd"], Is.Null, "a new entrypoint drops the base's command, as docker build does");
            Assert.That(settings["Entrypoint"]![0]!.GetValue<string>(), Is.EqualTo("/app/purchase_predict_api"));
            Assert.That(settings["User"]!.GetValue<string>(), Is.EqualTo("1654:1654"));
            Assert.That(settings["WorkingDir"]!.GetValue<string>(), Is.EqualTo("/app"));
            Assert.That(settings["ExposedPorts"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "8080/tcp" }));
            Assert.That(settings["Healthcheck"]!["Retries"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(settings["Labels"]!.AsObject().Select(l => l.Key), Is.EqualTo(new[] { "base.label", ImageStep.RevisionLabel }));
            Assert.That(config["history"]!.AsArray().Select(h => h!["created"]!.GetValue<string>()), Is.EqualTo(new[] { "2020-01-01T00:00:00Z", "2025-12-01T00:00:00Z" }));
            Assert.That(File.Exists(Path.Combine(layout, "oci-layout")), Is.True);
        }
    }

    // Pinned: the config's exact text and the manifest's digest for fixed inputs. A change here changes
    // the digest of every commit's image (docs/pipeline.md: what to do then).
    [Test]
    public void TheImageOfFixedInputs_IsPinned_ConfigTextAndManifestDigest()
    {
        var image = Assemble("image", Publish("publish", DateTime.UtcNow));
        var config = File.ReadAllText(Path.Combine(_root, "image", "blobs", "sha256", image.ConfigDigest[7..]));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(config, Is.EqualTo(GoldenConfig));
            Assert.That(image.Digest, Is.EqualTo(GoldenManifestDigest));
        }
    }

    [Test]
    public void ABaseLayerThatIsNotWhatItsConfigSays_IsRefused()
    {
        File.AppendAllText(_base.Layers[0], "tampered");
        Assert.That(() => Assemble("image", Publish("publish", DateTime.UtcNow)),
            Throws.InvalidOperationException.With.Message.Contains("but the base's config lists " + _base.DiffIds[0]));
    }

    [Test]
    public void ASavedBaseWhoseConfigIsNotTheExpectedId_IsRefused() =>
        Assert.That(() => BaseImageArchive.Open(_base.Folder, "sha256:" + new string('0', 64)),
            Throws.InvalidOperationException.With.Message.Contains("not the base image's ID"));

    [Test]
    public void NoLayout_ReadsAsNoImage() => Assert.That(OciLayout.Read(Path.Combine(_root, "nothing")), Is.Null);

    private const string GoldenConfig = """
        {"created":"2025-12-01T00:00:00Z","architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/bin:/bin","WORKERS=4","PORT=8080"],"Cmd":null,"Labels":{"base.label":"x","org.opencontainers.image.revision":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"WorkingDir":"/app","User":"1654:1654","ExposedPorts":{"8080/tcp":{}},"Healthcheck":{"Test":["CMD","/app/purchase_predict_api","--healthcheck"],"Interval":10000000000,"Timeout":5000000000,"StartPeriod":20000000000,"Retries":3},"Entrypoint":["/app/purchase_predict_api"]},"rootfs":{"type":"layers","diff_ids":["sha256:fb572235756e0a2ef9d1d34cb0177d4aa4c8d6d112c41cb97443d5422dfe5601","sha256:fc95e38aa44a91483975137ac7e32715fb5ea53da3a14fa11a82cc21d390c224"]},"history":[{"created":"2020-01-01T00:00:00Z"},{"created":"2025-12-01T00:00:00Z","created_by":"COPY --chown=0:0 . /app/ (build/image/ImageAssembler.cs)"}]}
        """;
    private const string GoldenManifestDigest = "sha256:804f1712dd72b3f8641454f9d6a132d96106960b2d01ce14fe33dd5a62f6afc1";

    private BuiltImage Assemble(string name, string publish) =>
        ImageAssembler.Assemble(_base, _spec, publish, Labels(), CommitTime, Path.Combine(_root, name));

    private static Dictionary<string, string> Labels() => new() { [ImageStep.RevisionLabel] = new string('a', 40) };

    private string Publish(string name, DateTime time)
    {
        var folder = Path.Combine(_root, name);
        Directory.CreateDirectory(folder);
        foreach (var file in new[] { "purchase_predict_api", "purchase_predict_api.dll", "appsettings.json" })
        {
            File.WriteAllText(Path.Combine(folder, file), "content of " + file);
            File.SetLastWriteTimeUtc(Path.Combine(folder, file), time);
        }
        return folder;
    }

    // What `docker save <id>` of a one-layer image leaves, unpacked.
    private static BaseImageArchive SavedBase(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "layer"));
        var layer = Path.Combine(folder, "layer", "layer.tar");
        using (var tar = new TarWriter(File.Create(layer), TarEntryFormat.Ustar))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "etc/") { ModificationTime = CommitTime.AddYears(-5) });
        }
        var diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(layer)));
        var config = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Env"] = new JsonArray("PATH=/usr/bin:/bin"), ["Cmd"] = new JsonArray("bash"), ["Labels"] = new JsonObject { ["base.label"] = "x" } },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(diffId) },
            ["history"] = new JsonArray(new JsonObject { ["created"] = "2020-01-01T00:00:00Z" }),
        }.ToJsonString();
        var id = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(config)));
        File.WriteAllText(Path.Combine(folder, id[7..] + ".json"), config);
        File.WriteAllText(Path.Combine(folder, "manifest.json"), $"[{{\"Config\":\"{id[7..]}.json\",\"RepoTags\":null,\"Layers\":[\"layer/layer.tar\"]}}]");
        return BaseImageArchive.Open(folder, id);
    }

    private static JsonNode Blob(string layout, string digest) =>
        JsonNode.Parse(File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", digest[7..])))!;
}
