#nullable enable
using System.Formats.Tar;
using System.Linq;

// A folder as one image layer, the same bytes wherever and whenever it is made: entries in ordinal
// order of their path, every time the commit's (SOURCE_DATE_EPOCH), owner and group numeric and fixed,
// no user or group names, modes 0755 (folders and executables) or 0644. Ustar entries: the pax format
// would add access and change times of its own.
public static class LayerArchive
{
    public static void Write(string folder, string destination, int owner, int group, DateTimeOffset time, System.IO.Stream output)
    {
        using var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        var root = destination.Trim('/');
        var parents = root.Split('/');
        for (var i = 1; i <= parents.Length; i++)
        {
            tar.WriteEntry(Entry(TarEntryType.Directory, string.Join('/', parents.Take(i)) + "/", Executable, owner, group, time));
        }
        foreach (var path in Entries(folder))
        {
            var name = root + "/" + System.IO.Path.GetRelativePath(folder, path).Replace('\\', '/');
            if (System.IO.Directory.Exists(path))
            {
                tar.WriteEntry(Entry(TarEntryType.Directory, name + "/", Executable, owner, group, time));
                continue;
            }
            var entry = Entry(TarEntryType.RegularFile, name, IsExecutable(path) ? Executable : Regular, owner, group, time);
            using var content = System.IO.File.OpenRead(path);
            entry.DataStream = content;
            tar.WriteEntry(entry);
        }
    }

    private const UnixFileMode Regular = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode Executable = Regular | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    // Every file and folder under folder, sorted by path (ordinal: the same order on every machine and locale).
    // A symbolic link in the published output is an error: what it points to depends on the machine.
    private static IEnumerable<string> Entries(string folder) =>
        new System.IO.DirectoryInfo(folder).EnumerateFileSystemInfos("*", System.IO.SearchOption.AllDirectories)
            .Select(info => info.LinkTarget is null
                ? info.FullName
                : throw new InvalidOperationException($"{info.FullName}: only files and folders go into the image, not links."))
            .OrderBy(path => System.IO.Path.GetRelativePath(folder, path).Replace('\\', '/'), StringComparer.Ordinal);

    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && (System.IO.File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;

    private static UstarTarEntry Entry(TarEntryType type, string name, UnixFileMode mode, int owner, int group, DateTimeOffset time) =>
        new(type, name) { Mode = mode, Uid = owner, Gid = group, ModificationTime = time, UserName = "", GroupName = "" };
}
