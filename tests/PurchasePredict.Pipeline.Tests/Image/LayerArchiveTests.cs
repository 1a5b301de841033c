using System.Formats.Tar;
using System.Security.Cryptography;

namespace PurchasePredict.Pipeline.Tests;

// The published files as a layer: the same bytes from two folders whose files differ in everything
// but their content (times, creation order, group and other permission bits).
public class LayerArchiveTests
{
    private static readonly DateTimeOffset CommitTime = DateTimeOffset.FromUnixTimeSeconds(1764547200);
    private readonly List<string> _folders = [];

    // NUnit keeps one instance for all the tests of the class: each deletes only its own folders.
    [TearDown]
    public void Delete()
    {
        _folders.ForEach(f => Directory.Delete(f, recursive: true));
        _folders.Clear();
    }

    [Test]
    public void TwoFoldersWithTheSameFiles_GiveTheSameBytes_WhateverTheirTimesAndOrder()
    {
        var first = Folder(["a.dll", "sub/b.json", "app"], new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var second = Folder(["sub/b.json", "app", "a.dll"], new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc), groupWritable: true);
        Assert.That(Sha256(Archive(second)), Is.EqualTo(Sha256(Archive(first))));
    }

    [Test]
    public void Entries_AreSortedUnderTheDestination_WithTheCommitsTime_RootOwned_AndFixedModes()
    {
        var entries = Read(Archive(Folder(["sub/b.json", "app", "a.dll"], DateTime.UtcNow)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries.Select(e => e.Name), Is.EqualTo(new[] { "app/", "app/a.dll", "app/app", "app/sub/", "app/sub/b.json" }));
            Assert.That(entries.Select(e => e.ModificationTime).Distinct(), Is.EqualTo(new[] { CommitTime }));
            Assert.That(entries.Select(e => (e.Uid, e.Gid)).Distinct(), Is.EqualTo(new[] { (0, 0) }));
            Assert.That(entries.ToDictionary(e => e.Name, e => Convert.ToString((int)e.Mode, 8)), Is.EqualTo(new Dictionary<string, string>
            {
                ["app/"] = "755", ["app/a.dll"] = "644", ["app/app"] = "755", ["app/sub/"] = "755", ["app/sub/b.json"] = "644",
            }));
        }
    }

    // Pinned bytes: the layer of these files must stay this tar, and its gzip this blob, for as long as
    // an old commit is meant to rebuild to its old digest. A change here (TarWriter's format, .NET's
    // zlib, the entry order or modes) changes every image's digest: docs/pipeline.md says what to do then.
    [Test]
    public void TheLayerOfFixedFiles_IsPinnedByteForByte_TarAndGzip()
    {
        var folder = Folder(["purchase_predict_api.dll", "sub/appsettings.json", "app"], DateTime.UtcNow);
        var directory = Directory.CreateTempSubdirectory("layout-").FullName;
        _folders.Add(directory);
        var (layer, diffId) = OciLayout.Create(directory).AddLayer(output => LayerArchive.Write(folder, "/app/", 0, 0, CommitTime, output));
        using (Assert.EnterMultipleScope())
        {
            Assert.That("sha256:" + Sha256(Archive(folder)), Is.EqualTo(diffId));
            Assert.That(diffId, Is.EqualTo(GoldenDiffId));
            Assert.That(layer.Digest, Is.EqualTo(GoldenLayerDigest));
            Assert.That(layer.MediaType, Is.EqualTo("application/vnd.oci.image.layer.v1.tar+gzip"));
        }
    }

    [Test]
    public void OwnersAndTheirNames_AreTheDockerfilesNumbers_WhoeverOwnsTheFiles()
    {
        using var output = new MemoryStream();
        LayerArchive.Write(Folder(["a.dll"], DateTime.UtcNow), "/opt/app", 1654, 1655, CommitTime, output);
        var entries = Read(output.ToArray());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries.Select(e => e.Name), Is.EqualTo(new[] { "opt/", "opt/app/", "opt/app/a.dll" }));
            Assert.That(entries.Select(e => (e.Uid, e.Gid)).Distinct(), Is.EqualTo(new[] { (1654, 1655) }));
            Assert.That(entries.Select(e => ((UstarTarEntry)e).UserName + ((UstarTarEntry)e).GroupName).Distinct(), Is.EqualTo(new[] { "" }));
            Assert.That(entries.Select(e => e.Format).Distinct(), Is.EqualTo(new[] { TarEntryFormat.Ustar }));
        }
    }

    [Test]
    public void ASymbolicLink_IsRefused()
    {
        var folder = Folder(["a.dll"], DateTime.UtcNow);
        File.CreateSymbolicLink(Path.Combine(folder, "link"), "/etc/passwd");
        Assert.That(() => Archive(folder), Throws.InvalidOperationException.With.Message.Contains("not links"));
    }

    // Files named "app" are executable, as the published binary is.
    private string Folder(string[] files, DateTime time, bool groupWritable = false)
    {
        var folder = Directory.CreateTempSubdirectory("layer-").FullName;
        _folders.Add(folder);
        foreach (var file in files)
        {
            var path = Path.Combine(folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "content of " + file);
            var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | (groupWritable ? UnixFileMode.GroupWrite : 0)
                | (Path.GetFileName(file) == "app" ? UnixFileMode.UserExecute | UnixFileMode.GroupExecute : 0);
            File.SetUnixFileMode(path, mode);
            File.SetLastWriteTimeUtc(path, time);
        }
        return folder;
    }

    private static byte[] Archive(string folder)
    {
        using var output = new MemoryStream();
        LayerArchive.Write(folder, "/app/", 0, 0, CommitTime, output);
        return output.ToArray();
    }

    private static List<TarEntry> Read(byte[] archive)
    {
        using var reader = new TarReader(new MemoryStream(archive));
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add(entry);
        }
        return entries;
    }

    private const string GoldenDiffId = "sha256:8e8f2f3d50ad8d3201a4c412cbbc3308b6d939ab9a8271257d4cf8871d540527";
    private const string GoldenLayerDigest = "sha256:563dd7a772db41337d5359589e860a4d7f225b599e5a4db4f33f65dc6e6478e1";

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
