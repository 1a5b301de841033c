#nullable enable
using System.Linq;
using System.Text.RegularExpressions;

// Where the image goes: <registry>/<project>[/<repository>]/purchase_predict_api, checked against
// GCP's naming rules before anything runs, so a typo fails in a second instead of after a build.
public sealed record ImageTarget(string Registry, string Project, string? ArtifactRepository)
{
    public const string ImageName = "purchase_predict_api";

    // gcr.io and its regional hosts (Container Registry names, served by Artifact Registry today).
    private static readonly Regex ContainerRegistry = new("^(gcr\\.io|(us|eu|asia)\\.gcr\\.io)$");

    // Artifact Registry: <location>-docker.pkg.dev, location a region (europe-west1) or multi-region (europe).
    private static readonly Regex ArtifactRegistry = new("^([a-z]+(-[a-z]+[0-9]+)?)-docker\\.pkg\\.dev$");

    // The sandbox's local registry (and any other registry on the loopback interface).
    private static readonly Regex LoopbackRegistry = new("^(127\\.0\\.0\\.1|localhost):[0-9]{1,5}$");

    // https://cloud.google.com/resource-manager/docs/creating-managing-projects: 6 to 30 characters,
    // lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen.
    private static readonly Regex ProjectId = new("^[a-z][a-z0-9-]{4,28}[a-z0-9]$");

    private static readonly string[] RestrictedInProjectId = ["google", "null", "undefined", "ssl"];

    // Artifact Registry repository ids: lowercase letters, digits and hyphens, starting with a letter, at most 63.
    private static readonly Regex RepositoryId = new("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$");

    public bool IsArtifactRegistry => ArtifactRegistry.IsMatch(Registry);

    public bool IsGoogleRegistry => IsArtifactRegistry || ContainerRegistry.IsMatch(Registry);

    // A registry on this machine: plain HTTP, and a dry run may ask it.
    public bool IsLoopback => LoopbackRegistry.IsMatch(Registry);

    // The image repository without a tag: what `docker push` and the registry's /v2/<name>/ API use.
    public string Repository => ArtifactRepository is null
        ? $"{Registry}/{Project}/{ImageName}"
        : $"{Registry}/{Project}/{ArtifactRepository}/{ImageName}";

    public string Tagged(string tag) => $"{Repository}:{tag}";

    public static ImageTarget From(SettingValue registry, SettingValue project, SettingValue? repository)
    {
        var host = registry.Value;
        var isArtifactRegistry = ArtifactRegistry.IsMatch(host);
        if (!isArtifactRegistry && !ContainerRegistry.IsMatch(host) && !LoopbackRegistry.IsMatch(host))
        {
            throw registry.Invalid("expected gcr.io, eu.gcr.io, us.gcr.io, asia.gcr.io, <location>-docker.pkg.dev, or a loopback registry such as 127.0.0.1:5000.");
        }
        ValidateProject(project);
        if (isArtifactRegistry)
        {
            if (repository is null)
            {
                throw new SettingsException($"Setting 'artifactRepository' is missing: {host} is Artifact Registry, whose images live in a repository (<location>-docker.pkg.dev/<project>/<repository>); set it with --artifact-repository or PP_ARTIFACT_REPOSITORY.");
            }
            if (!RepositoryId.IsMatch(repository.Value))
            {
                throw repository.Invalid("an Artifact Registry repository id is lowercase letters, digits and hyphens, starting with a letter, at most 63 characters.");
            }
            return new ImageTarget(host, project.Value, repository.Value);
        }
        // A repository setting left over from an Artifact Registry setup would silently be ignored otherwise.
        if (repository is not null)
        {
            throw repository.Invalid($"only Artifact Registry (<location>-docker.pkg.dev) has repositories; {host} has none.");
        }
        return new ImageTarget(host, project.Value, null);
    }

    public static void ValidateProject(SettingValue project)
    {
        if (!ProjectId.IsMatch(project.Value))
        {
            throw project.Invalid("a GCP project id is 6 to 30 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen.");
        }
        if (RestrictedInProjectId.FirstOrDefault(project.Value.Contains) is { } word)
        {
            throw project.Invalid($"a GCP project id may not contain '{word}'.");
        }
    }
}
