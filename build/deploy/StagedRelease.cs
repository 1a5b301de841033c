#nullable enable
using System.Collections.Generic;
using System.IO;

// A release waiting on a VM in a private temporary directory: unit, env file, image reference,
// commit and the /predict request used to check it. Install moves files from here into place, so a
// half-finished upload never touches the running service. Disposing removes the directory.
public sealed class StagedRelease : IDisposable
{
    public const string UnitFile = "purchase_predict_api.service";
    public const string EnvFile = "purchase_predict_api.env";
    public const string ImageFile = "image";
    public const string CommitFile = "commit";
    public const string RequestFile = "request.json";

    private readonly RemoteHost _remote;

    private StagedRelease(RemoteHost remote, string directory, string image, string commit) =>
        (_remote, Directory, Image, Commit) = (remote, directory, image, commit);

    public string Directory { get; }

    // image@digest, exactly what the unit runs.
    public string Image { get; }

    public string Commit { get; }

    // mktemp -d as the login user gives a 0700 directory that scp can fill without sudo.
    public static StagedRelease Upload(RemoteHost remote, IReadOnlyList<string> localFiles, DeployImage image)
    {
        var directory = remote.RunAsLoginUser(ShellCommand.Of("mktemp", "-d", "/tmp/purchase_predict_api.XXXXXXXX")).StandardOutput.Trim();
        var staged = new StagedRelease(remote, directory, image.Reference, image.Commit);
        try
        {
            remote.Upload(localFiles, directory);
        }
        catch
        {
            staged.Dispose();
            throw;
        }
        return staged;
    }

    // Rollback stages an earlier release from the VM's own history: nothing is uploaded.
    public static StagedRelease FromHistory(RemoteHost remote, HistoryEntry entry)
    {
        var directory = remote.Run(RemoteScript.Of(
            "d=$(mktemp -d /tmp/purchase_predict_api.XXXXXXXX) && cp -p \"$1\"/* \"$d\"/ && echo \"$d\"",
            DeployHistory.Directory + "/" + entry.Name)).StandardOutput.Trim();
        return new StagedRelease(remote, directory, entry.Image, entry.Commit);
    }

    public void Dispose() => _remote.TryRun(ShellCommand.Of("rm", "-rf", Directory), quiet: true);
}
