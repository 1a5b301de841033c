#nullable enable
using System.Linq;

// Verify: rebuilds a commit (artifacts/image.json's, or --commit) and compares the digest it gives with
// what the registry holds under the commit's tag and with what each VM runs: match or mismatch, one
// line each. A mismatch fails the run, after every comparison is shown; nothing to compare with (no
// such tag, no container, a VM unreachable) is said, not failed. Tests nothing and pushes nothing.
public static class VerifyStep
{
    // Setup: which commit. Verify rebuilds even when the registry has the commit's image: that's the point.
    public static void Check(BuildParameters p)
    {
        p.Verifying = true;
        if (p.Commit is null)
        {
            p.Commit = System.IO.File.Exists(p.Paths.ImageJson)
                ? PushedImage.Read(p.Paths.ImageJson).Commit
                : throw new SettingsException($"Verify rebuilds a commit: pass --commit=<sha>, or push first ({p.Paths.ImageJson} names the last image pushed).");
        }
    }

    public static void Run(BuildParameters p)
    {
        var built = ImageStep.Built(p);
        var tag = CloneStep.Source(p).Short;
        p.Log($"Rebuilt {CloneStep.Source(p).Commit}: {built.Digest} (config {built.ConfigDigest}).");
        var mismatches = new List<string>();
        var held = p.Registry.DigestOf(tag);
        Report(p, mismatches, $"registry {p.Image.Tagged(tag)}", held is null || p.Runner.DryRun ? null : held == built.Digest, held ?? "no such tag");
        foreach (var host in p.Deploy.Hosts)
        {
            var vm = new Vm(host, p.Deploy.TargetFor(host), p.Runner);
            var (matches, what) = Running(p, vm, built);
            Report(p, mismatches, $"VM {vm.Name}", matches, what);
        }
        if (mismatches.Count > 0)
        {
            throw new InvalidOperationException($"Verify: {string.Join("; ", mismatches)} differ from the rebuild of {tag} ({built.Digest}).");
        }
    }

    // null: nothing to compare with (no tag, no container, VM unreachable, a dry run).
    private static void Report(BuildParameters p, List<string> mismatches, string what, bool? matches, string detail)
    {
        p.Log($"  {what}: {(matches is true ? "match" : matches is false ? "MISMATCH" : "nothing to compare")} ({detail})");
        if (matches is false)
        {
            mismatches.Add(what);
        }
    }

    // "<running> <image ID> <reference>" of the service's container on a VM, or "none" (build/remote/running-image.sh).
    public static ShellCommand RunningImage(BuildPaths paths) =>
        RemoteScript.Of(paths.RemoteScript("running-image.sh"), ServiceLayout.ContainerName).Planned("true <image id> <reference>");

    // What the service's container on the VM runs, compared by image ID: docker's ID of an image is the
    // digest of its config, the same on every machine, and the config lists every layer's digest.
    private static (bool? Matches, string What) Running(BuildParameters p, Vm vm, BuiltImage built)
    {
        CommandResult result;
        try
        {
            result = vm.Run(RunningImage(p.Paths), quiet: true);
        }
        catch (Exception e) when (e is HostUnreachableException or DeployException)
        {
            return (null, e.Message);
        }
        var words = result.StandardOutput.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (p.Runner.DryRun)
        {
            return (null, "a dry run compares nothing");
        }
        if (words is not [var running, var id, .. var reference])
        {
            return (null, "no service container");
        }
        var state = running == "true" ? "running" : "stopped";
        return (id == built.ConfigDigest, $"{state}, image {id}, started from {string.Join(' ', reference.DefaultIfEmpty("?"))}");
    }
}
