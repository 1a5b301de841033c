#nullable enable
using System.Linq;

// Image: the image of the commit, assembled from artifacts/publish, the base image and the clone's
// ops/Dockerfile into artifacts/image (an OCI layout), the same bytes on every machine and every day:
// its only time is the commit's, its labels name the commit, the repository and how it was built.
// Why not `docker build`, and every input with how it is pinned: docs/pipeline.md.
public static class ImageStep
{
    public const string RevisionLabel = "org.opencontainers.image.revision";
    public const string SourceLabel = "org.opencontainers.image.source";
    public const string CreatedLabel = "org.opencontainers.image.created";

    // How the image was made, besides the commit: an image of the same commit built another way
    // (another publish mode, another base) is another image.
    public const string PublishModeLabel = "com.purchase-predict.publish-mode";
    public const string BaseNameLabel = "org.opencontainers.image.base.name";
    public const string BaseIdLabel = "com.purchase-predict.base-image-id";

    // The registry of this environment already holds, under the commit's tag, exactly the image that
    // artifacts/image holds for this commit and these settings: it was tested before it was pushed,
    // so Test, Publish and Image have nothing to do. The digest decides; the labels only say which
    // commit and settings the local layout was made from. Asked once, by Clone.
    public static bool IsInRegistry(BuildParameters p, string commit)
    {
        if (p.Rebuild || OciLayout.Read(p.Paths.Image) is not { } built)
        {
            return false;
        }
        var labels = built.Labels;
        return labels.GetValueOrDefault(RevisionLabel) == commit
            && labels.GetValueOrDefault(PublishModeLabel) == p.PublishMode.ToString()
            && labels.GetValueOrDefault(BaseNameLabel) == p.BaseImage
            && labels.GetValueOrDefault(BaseIdLabel) == BaseId(p)
            && p.Registry.DigestOf(SourceCommit.ShortOf(commit)) == built.Digest;
    }

    public static void Build(BuildParameters p)
    {
        var source = CloneStep.Source(p);
        var baseId = PulledBase(p);
        var saved = SavedBase(p, baseId);
        p.Runner.Do($"assemble the image of {source.Short} into {p.Paths.Image}", () =>
        {
            var spec = DockerfileSpec.Read(p.Paths.Dockerfile);
            var built = ImageAssembler.Assemble(BaseImageArchive.Open(saved, baseId), spec, p.Paths.Publish, Labels(p, source, baseId), source.Time, p.Paths.Image);
            p.Log($"Image of {source.Short}: {built.Digest} (config {built.ConfigDigest}), time {ImageAssembler.Timestamp(source.Time)}.");
        });
    }

    // The image Image assembled (or an earlier run left, when Image was skipped). A dry run plans one.
    public static BuiltImage Built(BuildParameters p) =>
        p.Runner.DryRun ? new BuiltImage(p.Paths.Image, "<digest of the assembled image>", "<config digest>", new Dictionary<string, string>())
        : OciLayout.Read(p.Paths.Image) ?? throw new InvalidOperationException($"There is no image in {p.Paths.Image}: run the Image target first.");

    public static IReadOnlyDictionary<string, string> Labels(BuildParameters p, SourceCommit source, string baseId)
    {
        var labels = new Dictionary<string, string>
        {
            [RevisionLabel] = source.Commit,
            [CreatedLabel] = ImageAssembler.Timestamp(source.Time),
            ["org.opencontainers.image.version"] = source.Short,
            ["org.opencontainers.image.title"] = ImageTarget.ImageName,
            [PublishModeLabel] = p.PublishMode.ToString(),
            [BaseNameLabel] = p.BaseImage,
            [BaseIdLabel] = baseId,
        };
        if (RepositoryUrl(p) is { } url)
        {
            labels[SourceLabel] = url;
        }
        return labels;
    }

    // The repository as others reach it: the repo setting when it is a URL; for a repository on this
    // machine, the URL of its `origin` remote (a path on this machine would differ for every clone of
    // the same commit). A local repository without an origin has no URL to give: the label is left out.
    public static string? RepositoryUrl(BuildParameters p)
    {
        if (!p.RepositoryIsLocal)
        {
            return WithoutCredentials(p.Repository);
        }
        var origin = p.Runner.Query(Git.RemoteUrl(p.Repository));
        return origin.ExitCode == 0 && origin.StandardOutput.Trim() is { Length: > 0 } url ? WithoutCredentials(url) : null;
    }

    // A URL as a label may show it: a user and token written into it (https://user:token@host/...) would
    // otherwise end up in every image. Other forms (git@host:path, a path) carry none.
    public static string WithoutCredentials(string url) =>
        url.Contains("://") && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString()
            : url;

    // The base's docker image ID (the digest of its config), or null when this engine doesn't have it.
    public static string? BaseId(BuildParameters p)
    {
        var result = p.Runner.Query(Docker.Inspect(p.BaseImage, "{{.Id}}"));
        return result.ExitCode == 0 ? result.StandardOutput.Trim() : null;
    }

    // The base's ID. A base pinned by digest that this engine lacks is pulled first (the sandbox's own
    // base is made by the Sandbox task).
    private static string PulledBase(BuildParameters p)
    {
        if (BaseId(p) is null && !p.IsSandbox)
        {
            p.Runner.Run(Docker.Pull(p.BaseImage));
        }
        return BaseId(p)
            ?? (p.Runner.DryRun ? "sha256:<base image id>" : throw new InvalidOperationException($"The base image {p.BaseImage} is not in the Docker engine."));
    }

    // The base as `docker save` of its ID wrote it, unpacked once per ID into artifacts/base/<id>.
    private static string SavedBase(BuildParameters p, string id)
    {
        var folder = p.Paths.BaseArchive(id);
        if (System.IO.File.Exists(System.IO.Path.Combine(folder, "manifest.json")))
        {
            return folder;
        }
        var tarball = folder + ".tar";
        var partial = folder + ".partial";
        p.Runner.DeleteDirectory(partial);
        p.Runner.Do($"create {p.Paths.Artifacts}/base", () => System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(folder)!));
        p.Runner.Run(Docker.Save(id, tarball));
        p.Runner.Do($"unpack {tarball} into {folder}", () =>
        {
            System.IO.Directory.CreateDirectory(partial);
            System.Formats.Tar.TarFile.ExtractToDirectory(tarball, partial, overwriteFiles: true);
            System.IO.Directory.Move(partial, folder);
        });
        p.Runner.DeleteFile(tarball);
        return folder;
    }
}
