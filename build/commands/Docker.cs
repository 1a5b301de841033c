#nullable enable
using System.Linq;

// docker CLI command lines. Containers and builds use the host network: this machine's engine has no bridge.
public static class Docker
{
    public static ShellCommand ServerVersion() =>
        ShellCommand.Of("docker", "info", "--format", "{{.ServerVersion}}");

    public static ShellCommand Build(string context, string dockerfile, IEnumerable<string> tags,
        IReadOnlyDictionary<string, string> buildArguments, IReadOnlyDictionary<string, string> labels)
    {
        var command = ShellCommand.Of("docker", "build", "--network", "host", "--file", dockerfile);
        foreach (var tag in tags) command = command.With("--tag", tag);
        foreach (var (name, value) in buildArguments.OrderBy(a => a.Key, StringComparer.Ordinal)) command = command.With("--build-arg", $"{name}={value}");
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal)) command = command.With("--label", $"{name}={value}");
        return command.With(context);
    }

    // A base image pinned by digest that this engine lacks.
    public static ShellCommand Pull(string image) => ShellCommand.Of("docker", "pull", "--quiet", image);

    // The image's config and layers, uncompressed, as one tar (what the Image step builds on).
    public static ShellCommand Save(string image, string tarball) =>
        ShellCommand.Of("docker", "save", "--output", tarball, image);

    // Fails (exit 1) when the image isn't there: also how to ask "is it there?".
    public static ShellCommand Inspect(string image, string format) =>
        ShellCommand.Of("docker", "image", "inspect", "--format", format, image);

    public static ShellCommand Import(string tarball, string image) =>
        ShellCommand.Of("docker", "import", tarball, image);

    public static ShellCommand RemoveImages(IEnumerable<string> images) =>
        ShellCommand.Of("docker", ["image", "rm", "--force", .. images]);

    // IDs, not repository:tag: an untagged (dangling) image has no name to remove it by.
    public static ShellCommand ImagesOf(string repository) =>
        ShellCommand.Of("docker", "image", "ls", "--format", "{{.ID}}", repository);
}
