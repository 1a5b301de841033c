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

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
