#nullable enable
// Every file and folder the pipeline reads or writes, in one place. Its outputs live under artifacts/ of
// the checkout; the sandbox's state (registry data, keys, VM files, daemon pid files and logs) lives in
// one place per machine, whichever checkout starts it: PURCHASE_PREDICT_CACHE, else
// $XDG_CACHE_HOME/purchase-predict, else ~/.cache/purchase-predict (the storage emulator's npm cache
// follows the same rule, tools/storage-emulator/start.sh), then sandbox/.
public sealed class BuildPaths(string root, Func<string, string?> variable)
{
    // The folder holding build.sh: the pipeline's own repository.
    public string Root { get; } = System.IO.Path.GetFullPath(root);

    public string Environments => Combine(Root, "ops", "environments");

    public string UnitTemplate => Combine(Root, "ops", "purchase_predict_api.service");

    public string EnvTemplate => Combine(Root, "ops", "purchase_predict_api.env");

    // The shell scripts Deploy, Rollback and Status run on the VMs.
    public string RemoteScripts => Combine(Root, "build", "remote");

    public string RemoteScript(string name) => Combine(RemoteScripts, name);

    public string VmImageContext => Combine(Root, "build", "sandbox", "vm-image");

    public string StorageEmulator => Combine(Root, "tools", "storage-emulator", "start.sh");

    public string RegistryTokenProject => Combine(Root, "tools", "RegistryToken", "RegistryToken.csproj");

    // The sandbox's GCP stand-ins (gcp-sandbox), built into the sandbox's home: they outlive the checkout that started them.
    public string GcpSandboxSources => Combine(Root, "tools", "PurchasePredict.GcpSandbox");

    public string GcpSandboxProject => Combine(GcpSandboxSources, "PurchasePredict.GcpSandbox.csproj");

    public string Artifacts => Combine(Root, "artifacts");

    // The fresh clone that everything is built from; never the working tree.
    public string Clone => Combine(Artifacts, "clone");

    // The Dockerfile of the commit being built, so image and code always match.
    public string Dockerfile => Combine(Clone, "ops", "Dockerfile");

    public string TestResults => Combine(Artifacts, "test-results");

    public string Publish => Combine(Artifacts, "publish");

    public string Symbols => Combine(Artifacts, "symbols");

    public string ImageJson => Combine(Artifacts, "image.json");

    // The image the Image step assembles, as an OCI layout, and what skopeo pushes from.
    public string Image => Combine(Artifacts, "image");

    // The base image as `docker save` wrote it, unpacked, one folder per base image ID.
    public string BaseArchive(string id) => Combine(Artifacts, "base", id.Replace("sha256:", ""));

    // The digest skopeo reports for a push.
    public string PushedDigest => Combine(Artifacts, "pushed-digest");

    public string RegistryTokenTool => Combine(Artifacts, "tools", "registry-token");

    // Each VM's release files before upload (the env file only for the moment of the copy).
    public string DeployBundle(string host) => Combine(Artifacts, "deploy", host);

    public string SandboxHome => Combine(CacheRoot, "sandbox");

    public string SandboxSsh => Combine(SandboxHome, "ssh");

    // gcp-sandbox's state (accounts' public keys, the token secret, the registry's signing key, MLflow's registry).
    public string SandboxGcp => Combine(SandboxHome, "gcp");

    // The service-account key files the sandbox hands out (0600): its pipeline's and its VMs' accounts.
    public string SandboxKey(string account) => Combine(SandboxHome, "keys", account + ".json");

    // One build of gcp-sandbox per version of its sources (hash): running stand-ins keep theirs.
    public string GcpSandboxBuild(string hash) => Combine(SandboxHome, "tools", "gcp-sandbox-" + hash);

    // The pid files and logs of the stand-ins the sandbox starts, by name.
    public string SandboxDaemons => Combine(SandboxHome, "daemons");

    public string SandboxDaemonFile(string name, string extension) => Combine(SandboxDaemons, name + "." + extension);

    private string CacheRoot =>
        Set("PURCHASE_PREDICT_CACHE") ?? Combine(Set("XDG_CACHE_HOME") ?? Combine(Home, ".cache"), "purchase-predict");

    private string Home => Set("HOME") ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);

    private string? Set(string name) => variable(name) is { Length: > 0 } value ? value : null;

    private static string Combine(params string[] parts) => System.IO.Path.Combine(parts);
}
