#nullable enable
using System.Collections.Generic;
using System.IO;

// The files of one host's release, written on the runner before upload. The env file holds
// secrets: it is created 0600 and deleted as soon as the bundle is disposed.
public sealed class LocalBundle : IDisposable
{
    private LocalBundle(string directory, IReadOnlyList<string> files) => (Directory, Files) = (directory, files);

    public string Directory { get; }

    public IReadOnlyList<string> Files { get; }

    public static LocalBundle Write(string directory, string unit, Secret envFile, DeployImage image, string requestFile)
    {
        System.IO.Directory.CreateDirectory(directory);
        var env = System.IO.Path.Combine(directory, StagedRelease.EnvFile);
        // Owner-only before the secrets go in (on Windows the user's profile ACLs apply instead).
        System.IO.File.WriteAllText(env, "");
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(env, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        System.IO.File.WriteAllText(env, envFile.Value);
        var files = new List<string> { env };
        void Add(string name, string content)
        {
            var path = System.IO.Path.Combine(directory, name);
            System.IO.File.WriteAllText(path, content);
            files.Add(path);
        }
        Add(StagedRelease.UnitFile, unit);
        Add(StagedRelease.ImageFile, image.Reference + "\n");
        Add(StagedRelease.CommitFile, image.Commit + "\n");
        var request = System.IO.Path.Combine(directory, StagedRelease.RequestFile);
        System.IO.File.Copy(requestFile, request, overwrite: true);
        files.Add(request);
        return new LocalBundle(directory, files);
    }

    public void Dispose() => System.IO.File.Delete(System.IO.Path.Combine(Directory, StagedRelease.EnvFile));
}
