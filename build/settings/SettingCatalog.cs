#nullable enable
using System.Linq;
using System.Text.RegularExpressions;

// How an argument or environment variable's text becomes the setting's JSON value.
public enum SettingKind
{
    Text,
    Number,
    // A bare --flag means true.
    Flag,
    // A JSON list, or comma-separated.
    List,
    // JSON (an object or a list), e.g. --hosts='[...]'.
    Json,
}

// One setting: its key in ops/environments/<env>.json, its argument and variable, and what it means.
// The argument derives from the key's whole path ("deploy.sshUser" -> --deploy-ssh-user), unless the
// setting has a shorter name of its own (--ssh-user); the variable is PP_ and the argument in capitals.
// BareValue is what the argument alone means (--lock-wait: wait 600 s), for a setting that is not a flag.
public sealed record SettingDefinition(string Key, SettingKind Kind, string Meaning, string? ShortArgument = null, string? BareValue = null)
{
    public string Argument => ShortArgument ?? Settings.ArgumentName(Key);

    public string Variable => Settings.VariableFor(Argument);
}

// Every setting the pipeline reads, in one list: the loader, the unknown-key and unknown-argument
// checks and the Help target all come from it, so they cannot drift apart.
public static class SettingCatalog
{
    public static readonly IReadOnlyList<SettingDefinition> All =
    [
        new("repo", SettingKind.Text, "URL or path (relative to the folder holding build.sh) to clone"),
        new("branch", SettingKind.Text, "branch to build; HEAD = the repository's default branch"),
        new("tests", SettingKind.List, "test projects of the clone (JSON list, or comma-separated)"),
        new("apiProject", SettingKind.Text, "the project to publish"),
        new("publishMode", SettingKind.Text, "aot, self-contained, trimmed or ready-to-run"),
        new("runtime", SettingKind.Text, "runtime identifier, e.g. linux-x64"),
        new("registry", SettingKind.Text, "gcr.io, eu/us/asia.gcr.io, <location>-docker.pkg.dev, or 127.0.0.1:<port>"),
        new("project", SettingKind.Text, "GCP project id"),
        new("artifactRepository", SettingKind.Text, "Artifact Registry repository (only with *-docker.pkg.dev)"),
        new("registryAuth", SettingKind.Text, "none, service-account-key or application-default"),
        new("serviceAccountKey", SettingKind.Text, "key file for registryAuth service-account-key"),
        new("baseImage", SettingKind.Text, "the Dockerfile's BASE_IMAGE"),
        new("force", SettingKind.Flag, "test, publish and build even when the registry has the image of the commit, and redeploy VMs that already run the release"),
        new("commit", SettingKind.Text, "build this commit (sha) instead of the branch's head; Verify: default artifacts/image.json's"),
        new("sandbox.suite", SettingKind.Text, "sandbox: Debian suite of the base image"),
        new("sandbox.mirror", SettingKind.Text, "sandbox: Debian mirror for debootstrap"),
        new("sandbox.basePackages", SettingKind.List, "sandbox: packages of the base image"),
        new("sandbox.dockerdArguments", SettingKind.List, "sandbox: arguments of a dockerd the sandbox starts"),
        new("sandbox.tokenPort", SettingKind.Number, "sandbox: the token endpoint's port (oauth2.googleapis.com's stand-in)"),
        new("sandbox.registryAuthPort", SettingKind.Number, "sandbox: the registry's login service's port"),
        new("sandbox.ciMetadataPort", SettingKind.Number, "sandbox: the port of the metadata server of the machine running the pipeline"),
        new("deploy.hosts", SettingKind.Json, "[{name, address, sshPort?, servicePort, metadataServer?}], deployed in this order", "hosts"),
        new("deploy.sshUser", SettingKind.Text, "ssh login user; not root -> sudo -n", "ssh-user"),
        new("deploy.sshKey", SettingKind.Text, "ssh private key (-i, IdentitiesOnly)", "ssh-key"),
        new("deploy.sshPort", SettingKind.Number, "ssh port: in the file for hosts without one, as argument for every host", "ssh-port"),
        new("deploy.sshKnownHosts", SettingKind.Text, "known_hosts file, checked strictly", "ssh-known-hosts"),
        new("deploy.network", SettingKind.Text, "host (PORT = servicePort) or publish (-p servicePort:containerPort)"),
        new("deploy.handover", SettingKind.Flag, "zero-downtime handover through a second container (host network only)"),
        new("deploy.containerPort", SettingKind.Number, "the port inside the container with publish"),
        new("deploy.env", SettingKind.Json, "the env file's plain values, {\"NAME\": \"value\"}"),
        new("deploy.secretsFile", SettingKind.Text, "git-ignored NAME=value file whose values win", "secrets-file"),
        new("deploy.gracefulTimeoutSeconds", SettingKind.Number, "docker stop --time and GRACEFUL_TIMEOUT"),
        new("deploy.verifyTimeoutSeconds", SettingKind.Number, "how long a release may take to answer"),
        new("deploy.historySize", SettingKind.Number, "releases kept on each VM (2 to 100)"),
        new("deploy.predictRequest", SettingKind.Text, "the body of the /predict check"),
        new("deploy.expectedAnswers", SettingKind.Text, "the /predict check's expected labels ({\"predictions\": [...]}): a model answering otherwise is refused"),
        new("deploy.breakLock", SettingKind.Flag, "remove a killed deploy's locks (and what it left on the VMs) first", "break-lock"),
        new("deploy.lockWaitSeconds", SettingKind.Number, "wait this long for another deploy's lock (bare --lock-wait: 600); 0: fail at once", "lock-wait", "600"),
        new("deploy.rollbackVersion", SettingKind.Text, "Rollback: the commit (prefix) to go back to", "rollback-version"),
        new("deploy.registryLogin", SettingKind.Text, "vm-service-account (docker on each VM logs in with the VM's token) or none", "registry-login"),
        new("deploy.googleCredentialsFile", SettingKind.Text, "a service-account key file on each VM, mounted into the container", "google-credentials-file"),
        new("deploy.memoryLimit", SettingKind.Text, "the container's memory limit, docker's --memory (e.g. 512m); no swap beyond it", "memory-limit"),
        new("deploy.sandbox.storagePort", SettingKind.Number, "sandbox: the storage emulator's port"),
        new("deploy.sandbox.modelFile", SettingKind.Text, "sandbox: the model uploaded to the bucket"),
        new("deploy.sandbox.artifactUri", SettingKind.Text, "sandbox: gs://<bucket>/<folder>, the MLflow artifact folder of that model"),
        new("deploy.sandbox.mlflowHost", SettingKind.Text, "sandbox: the MLflow stand-in's hostname on the VMs"),
        new("deploy.sandbox.mlflowPort", SettingKind.Number, "sandbox: the MLflow stand-in's port"),
    ];

    // Objects of the file that group settings; "deploy.env" is a free map of variable names.
    public static readonly IReadOnlyList<string> Sections = ["sandbox", "deploy", "deploy.sandbox"];

    // The keys of one entry of "deploy.hosts".
    public static readonly IReadOnlyList<string> HostKeys = ["name", "address", "sshPort", "servicePort", "metadataServer"];

    // The environment itself is chosen before any file is read.
    public const string EnvironmentArgument = "env";

    // Cake's own switches: never settings, named in suggestions and in Help.
    public static readonly IReadOnlyList<string> CakeSwitches =
        ["target", "verbosity", "dryrun", "tree", "description", "exclusive", "debug", "version", "info", "help"];

    public static SettingDefinition? Find(string key) => All.FirstOrDefault(s => s.Key == key);

    // Keys a file may hold directly under an object at this path ("" is the top level).
    public static IEnumerable<string> ChildrenOf(string path)
    {
        var prefix = path.Length == 0 ? "" : path + ".";
        return All.Select(s => s.Key).Concat(Sections)
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !k[prefix.Length..].Contains('.'))
            .Select(k => k[prefix.Length..])
            .Distinct();
    }

    // Arguments Cake passes to the script that are Cake's own configuration (--settings_skipverification=true ...).
    public static bool IsCakeConfiguration(string argument) =>
        Regex.IsMatch(argument, "^(settings|paths|nuget|roslyn)_", RegexOptions.IgnoreCase);
}
