#nullable enable
using System.Linq;
using System.Text.RegularExpressions;

// How Push authenticates to the registry.
public enum RegistryAuth
{
    // Nothing to do: the sandbox registry, or a docker already logged in (`gcloud auth configure-docker`).
    None,
    // A service-account key file, turned into an access token by tools/RegistryToken.
    ServiceAccountKey,
    // Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file, or the metadata server).
    ApplicationDefault,
}

// The pipeline's one state object, made once in Cake's Setup from the environment's settings and
// validated there, in one pass, before any task has a side effect. Tasks read it and never parse
// arguments; the few things the run learns as it goes (the branch's head, what Clone cloned, what Push
// pushed) are kept here too, each found once.
public sealed class BuildParameters : IDisposable
{
    private readonly Lazy<DeploySettings> _deploy;
    private readonly Lazy<ImageRegistry> _registry;
    private SshConnections? _ssh;

    private BuildParameters(Settings settings, BuildPaths paths)
    {
        Settings = settings;
        Paths = paths;
        _deploy = new Lazy<DeploySettings>(() => DeploySettings.From(settings, paths));
        _registry = new Lazy<ImageRegistry>(() => new ImageRegistry(this));
    }

    public Settings Settings { get; }

    public BuildPaths Paths { get; }

    public string Environment => Settings.Environment;

    // Where the source comes from: a URL or a path (relative paths are relative to the repository root).
    public required string Repository { get; init; }

    // "HEAD" means the repository's default branch: for a local working copy, the branch checked out there.
    public required string Branch { get; init; }

    // Test projects of the cloned repository, relative to its root.
    public required IReadOnlyList<string> TestProjects { get; init; }

    public required string ApiProject { get; init; }

    public required PublishMode PublishMode { get; init; }

    public required string Runtime { get; init; }

    public required ImageTarget Image { get; init; }

    // The tag that names what the environment runs (e.g. "staging"): Deploy and Rollback move it (EnvironmentTag).
    public string MovingTag => Environment;

    // The image the app's layer goes on: by digest (name@sha256:...), or the sandbox's own base, which
    // exists only on this machine and which the image's labels pin by its ID.
    public required string BaseImage { get; init; }

    public required RegistryAuth Auth { get; init; }

    // The key file for RegistryAuth.ServiceAccountKey (full path); in the sandbox, its pipeline account's
    // key unless the settings name another (made by the Sandbox task, so checked when Push uses it).
    public string? ServiceAccountKey { get; init; }

    // The metadata server RegistryAuth.ApplicationDefault asks: the sandbox's, for the machine running the
    // pipeline; null elsewhere (Google's own search: GOOGLE_APPLICATION_CREDENTIALS, gcloud's file, GCE's server).
    public string? MetadataHost => Sandbox?.CiMetadataHost;

    // Present when the environment is the local sandbox; Push and Deploy then bring it up first.
    public SandboxSettings? Sandbox { get; init; }

    public bool IsSandbox => Sandbox is not null;

    // The "deploy" section, checked when a task that needs it is planned (TaskPlan.Prepare): Push
    // doesn't, and its environment may lack what only Deploy uses (a secrets file, say).
    public DeploySettings Deploy => _deploy.Value;

    // --force: test, publish and build even when the registry already has the image of the commit.
    public bool Force { get; init; }

    // --commit: build this commit instead of the branch's head; Verify's default is artifacts/image.json's.
    public string? Commit { get; set; }

    // The target is Verify (set by its check in Setup): rebuild the commit, test nothing, push nothing.
    public bool Verifying { get; set; }

    // Build the image even when the registry has this commit's: asked for, or the point of the run.
    public bool Rebuild => Force || Verifying;

    // The registry of the image, through skopeo; logs in on first use.
    public ImageRegistry Registry => _registry.Value;

    // The run's ssh connections to the VMs, one each, made on first use.
    public SshConnections Ssh => _ssh ??= new SshConnections(Runner);

    // Cake's Teardown, however the run ends: the registry's credentials for the run are deleted, the ssh
    // connections closed.
    public void Dispose()
    {
        if (_registry.IsValueCreated)
        {
            _registry.Value.Dispose();
        }
        _ssh?.Dispose();
    }

    // Whether the repository is on this machine: then even a dry run may ask it for the branch's head.
    public bool RepositoryIsLocal => System.IO.Path.IsPathRooted(Repository) || Repository.StartsWith("file://", StringComparison.Ordinal);

    // The one executor of every command (a dry-run one under --dryrun).
    public required CommandRunner Runner { get; init; }

    public required Action<string> Log { get; init; }

    // The branch's head commit, asked once in Setup (CloneStep.Check).
    public string? RemoteHead { get; set; }

    // What Clone cloned; a task run alone (--exclusive) reads the existing clone instead (CloneStep.Source).
    public SourceCommit? Source { get; set; }

    // What Push pushed in this run; Deploy without Push reads artifacts/image.json instead (DeployStep).
    public PushedImage? Pushed { get; set; }

    public static BuildParameters Load(string root, Func<string, string?> argument, Func<string, string?> environment, bool dryRun, Action<string> log, Interruption? interruption = null)
    {
        var paths = new BuildPaths(root, environment);
        var settings = Settings.Load(paths.Environments, argument, environment);
        var image = ImageTarget.From(settings.Require("registry"), settings.Require("project"), settings.Get("artifactRepository"));
        var (auth, key) = Authentication(settings, image, paths);
        var sandbox = SandboxSettings.From(settings, image);
        return new BuildParameters(settings, paths)
        {
            Repository = RepositoryLocation(settings.Require("repo"), paths.Root),
            Branch = BranchName(settings.Require("branch")),
            TestProjects = TestProjectList(settings),
            ApiProject = RelativePath(settings.Require("apiProject")),
            PublishMode = Mode(settings.Require("publishMode")),
            Runtime = settings.Require("runtime").Value,
            Image = image,
            BaseImage = BaseImageReference(settings.Require("baseImage"), sandbox is not null),
            Auth = auth,
            ServiceAccountKey = key,
            Sandbox = sandbox,
            Force = settings.File.Force,
            Commit = CommitSha(settings.Get("commit")),
            Runner = new CommandRunner(log) { DryRun = dryRun, Interruption = interruption ?? new Interruption() },
            Log = log,
        };
    }

    private static string RepositoryLocation(SettingValue repo, string root)
    {
        // URLs (https://, ssh://, file://) and scp-like addresses (git@host:path) go to git as they are.
        if (repo.Value.Contains("://") || Regex.IsMatch(repo.Value, "^[^/]+@[^/]+:"))
        {
            return repo.Value;
        }
        var path = System.IO.Path.GetFullPath(repo.Value, root);
        return System.IO.Directory.Exists(path) ? path : throw repo.Invalid($"no such directory: {path}.");
    }

    // Git's own ref-name rules, reduced to what a branch name needs; also keeps it from reading as an option.
    private static string BranchName(SettingValue branch) =>
        Regex.IsMatch(branch.Value, "^(?!-)(?!.*\\.\\.)(?!.*//)[A-Za-z0-9._/-]+(?<![./])$") && !branch.Value.EndsWith(".lock")
            ? branch.Value
            : throw branch.Invalid("not a valid git branch name.");

    // A tag can point at another image tomorrow; a digest cannot. The sandbox's base is made on this
    // machine (Sandbox task) and has no registry digest: its ID goes into the image's labels instead.
    private static string BaseImageReference(SettingValue value, bool isSandbox) =>
        Regex.IsMatch(value.Value, "^[a-z0-9][a-z0-9._/:-]*@sha256:[0-9a-f]{64}$") || (isSandbox && Regex.IsMatch(value.Value, "^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9._-]+$"))
            ? value.Value
            : throw value.Invalid(isSandbox
                ? "expected the sandbox's base image name (name:tag), or an image pinned by digest (name@sha256:<64 hex>)."
                : "pin the base image by digest: name@sha256:<64 hex> (`skopeo inspect docker://<name:tag>` prints the digest), so that a rebuild of a commit gives the same image.");

    private static string? CommitSha(SettingValue? value) =>
        value is null || value.Value.Length == 0 ? null
        : Regex.IsMatch(value.Value, "^[0-9a-f]{7,40}$") ? value.Value
        : throw value.Invalid("expected a commit sha (7 to 40 lowercase hex digits).");

    private static IReadOnlyList<string> TestProjectList(Settings settings)
    {
        var value = settings.Get("tests");
        var projects = settings.File.Tests ?? [];
        if (value is null || projects.Count == 0)
        {
            throw settings.Missing("tests");
        }
        foreach (var project in projects)
        {
            RelativePath(value with { Value = project });
            // This pipeline's own end-to-end tests run ./build.sh: testing them from the pipeline would recurse.
            if (project.Contains("Pipeline.Tests", StringComparison.OrdinalIgnoreCase))
            {
                throw value.Invalid($"'{project}' is the pipeline's own test project; running it from the pipeline would recurse.");
            }
        }
        return projects;
    }

    private static string RelativePath(SettingValue value) =>
        !System.IO.Path.IsPathRooted(value.Value) && !value.Value.Split('/', '\\').Contains("..") && !value.Value.StartsWith('-')
            ? value.Value
            : throw value.Invalid("expected a path inside the cloned repository, such as tests/PurchasePredict.Api.Tests.");

    private static PublishMode Mode(SettingValue value) => value.Value switch
    {
        "aot" => PublishMode.Aot,
        "self-contained" => PublishMode.SelfContained,
        "trimmed" => PublishMode.Trimmed,
        "ready-to-run" => PublishMode.ReadyToRun,
        _ => throw value.Invalid("expected aot, self-contained, trimmed or ready-to-run."),
    };

    private static (RegistryAuth, string?) Authentication(Settings settings, ImageTarget image, BuildPaths paths)
    {
        var sandbox = settings.File.Sandbox is not null;
        var value = settings.Require("registryAuth");
        var auth = value.Value switch
        {
            "none" => RegistryAuth.None,
            "service-account-key" => RegistryAuth.ServiceAccountKey,
            "application-default" => RegistryAuth.ApplicationDefault,
            _ => throw value.Invalid("expected none (sandbox, or docker already logged in), service-account-key or application-default."),
        };
        if (auth != RegistryAuth.None && !image.IsGoogleRegistry && !sandbox)
        {
            throw value.Invalid($"Google credentials are for Google registries and the sandbox's; {image.Registry} is not one.");
        }
        if (auth != RegistryAuth.ServiceAccountKey)
        {
            return (auth, null);
        }
        if (sandbox && settings.Get("serviceAccountKey") is null)
        {
            return (auth, paths.SandboxKey(SandboxAccounts.Ci));
        }
        var key = settings.Require("serviceAccountKey");
        var path = System.IO.Path.GetFullPath(key.Value, paths.Root);
        return System.IO.File.Exists(path) ? (auth, path) : throw key.Invalid($"no such file: {path}.");
    }
}
