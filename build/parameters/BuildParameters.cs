#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

// How Push authenticates to the registry.
public enum RegistryAuth
{
    // Nothing to do: the sandbox registry, or a docker already logged in (`gcloud auth configure-docker`).
    None,
    // A service-account key file, turned into an access token with Google.Apis.Auth.
    ServiceAccountKey,
    // Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file, or the VM's metadata server).
    ApplicationDefault,
}

// The pipeline's one state object, built once in Cake's Setup from the environment's settings and
// validated there, before any task has a side effect. Tasks read it and never parse arguments.
public sealed class BuildParameters
{
    private readonly Lazy<DeploySettings> _deploy;

    private BuildParameters(Settings settings, BuildPaths paths)
    {
        Settings = settings;
        Paths = paths;
        _deploy = new Lazy<DeploySettings>(() => DeploySettings.From(settings, paths.Root));
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

    // The tag that follows the environment (e.g. "staging"), besides the commit's short sha.
    public string MovingTag => Environment;

    public required string BaseImage { get; init; }

    public required RegistryAuth Auth { get; init; }

    // The key file for RegistryAuth.ServiceAccountKey (full path).
    public string? ServiceAccountKey { get; init; }

    // Present when the environment is the local sandbox; Push and Deploy then bring it up first.
    public SandboxSettings? Sandbox { get; init; }

    public bool IsSandbox => Sandbox is not null;

    // The "deploy" section, read on first use: Push doesn't need it (build.cake validates it in
    // Setup when a deploy task is in the plan).
    public DeploySettings Deploy => _deploy.Value;

    // --dryrun: print the plan and the commands, run nothing.
    public bool DryRun => Runner.DryRun;

    // --force: build, test and push even when the image for the commit is already built.
    public bool Force { get; init; }

    // The one executor of every command (a dry-run one under --dryrun).
    public required CommandRunner Runner { get; init; }

    // Runs read-only queries (git ls-remote, docker image inspect) even in a dry run, without logging them.
    public required CommandRunner Probe { get; init; }

    public required Action<string> Log { get; init; }

    public static BuildParameters Load(string root, Func<string, string?> argument, Func<string, string?> environment, bool dryRun, Action<string> log)
    {
        var paths = new BuildPaths(root);
        var settings = Settings.Load(paths.Environments, argument, environment);
        var image = ImageTarget.From(settings.Require("registry"), settings.Require("project"), settings.Get("artifactRepository"));
        var (auth, key) = Authentication(settings, image, root);
        return new BuildParameters(settings, paths)
        {
            Repository = RepositoryLocation(settings.Require("repo"), root),
            Branch = BranchName(settings.Require("branch")),
            TestProjects = TestProjectList(settings),
            ApiProject = RelativePath(settings.Require("apiProject")),
            PublishMode = Mode(settings.Require("publishMode")),
            Runtime = settings.Require("runtime").Value,
            Image = image,
            BaseImage = settings.Require("baseImage").Value,
            Auth = auth,
            ServiceAccountKey = key,
            Sandbox = SandboxSettings.From(settings, image),
            Force = settings.Bool("force", false),
            Runner = new CommandRunner(log) { DryRun = dryRun },
            Probe = new CommandRunner(_ => { }),
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

    private static IReadOnlyList<string> TestProjectList(Settings settings)
    {
        var projects = settings.List("tests");
        if (projects.Count == 0)
        {
            throw settings.Missing("tests");
        }
        foreach (var project in projects)
        {
            var value = settings.Get("tests")!;
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

    private static (RegistryAuth, string?) Authentication(Settings settings, ImageTarget image, string root)
    {
        var value = settings.Require("registryAuth");
        var auth = value.Value switch
        {
            "none" => RegistryAuth.None,
            "service-account-key" => RegistryAuth.ServiceAccountKey,
            "application-default" => RegistryAuth.ApplicationDefault,
            _ => throw value.Invalid("expected none (sandbox, or docker already logged in), service-account-key or application-default."),
        };
        if (auth != RegistryAuth.None && !image.IsGoogleRegistry)
        {
            throw value.Invalid($"Google credentials are for Google registries; {image.Registry} is not one.");
        }
        if (auth != RegistryAuth.ServiceAccountKey)
        {
            return (auth, null);
        }
        var key = settings.Require("serviceAccountKey");
        var path = System.IO.Path.GetFullPath(key.Value, root);
        return System.IO.File.Exists(path) ? (auth, path) : throw key.Invalid($"no such file: {path}.");
    }
}
