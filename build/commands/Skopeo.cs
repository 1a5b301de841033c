#nullable enable
// skopeo command lines (Debian's `skopeo`): it copies an OCI layout to a registry as it is, so the
// registry serves the digest the Image step computed; asks a registry for a tag's digest; and points a
// tag at an image the registry already holds, without re-encoding its manifest (docker push would).
// Credentials: authFile, which `skopeo login` wrote (ImageRegistry keeps it in a private folder for the
// run); null means skopeo's own search (docker's config file, credential helpers included) or anonymous.
// A registry on the loopback interface speaks plain HTTP.
public static class Skopeo
{
    // Writes authFile from the token on standard input: never on a command line.
    public static ShellCommand Login(string registry, string user, Secret password, string authFile, bool plainHttp) =>
        ShellCommand.Of("skopeo", "login", "--authfile", authFile, "--tls-verify=" + Verify(plainHttp), "--username", user, "--password-stdin", registry)
            .WithStandardInput(password);

    // The image's manifest digest (sha256:...) on standard output. A missing tag fails with
    // "manifest unknown", a missing repository with "name unknown": ImageRegistry.IsAbsent reads that.
    public static ShellCommand Digest(string image, string? authFile, bool plainHttp) =>
        ShellCommand.Of("skopeo", "inspect", "--no-tags", "--format", "{{.Digest}}")
            .With(Auth("--authfile", authFile))
            .With("--tls-verify=" + Verify(plainHttp), "docker://" + image)
            .Planned("<digest in the registry, if any>");

    // --preserve-digests: skopeo refuses to push anything whose digest would change (recompressed
    // layers, a converted manifest) instead of doing it; --digestfile: the digest the registry stored.
    // skopeo reads "oci:<path>:<reference>": a path with a colon would be cut there.
    public static ShellCommand Copy(string layout, string image, string? authFile, bool plainHttp, string digestFile) =>
        layout.Contains(':')
            ? throw new ArgumentException($"skopeo cannot read an image layout whose path has a ':': {layout}.", nameof(layout))
            : ShellCommand.Of("skopeo", "copy", "--quiet", "--preserve-digests", "--digestfile", digestFile)
                .With(Auth("--dest-authfile", authFile))
                .With("--dest-tls-verify=" + Verify(plainHttp), "oci:" + layout, "docker://" + image);

    // Another tag for an image of the same repository, by digest: the manifest is copied byte for byte,
    // the layers are already there.
    public static ShellCommand Retag(string source, string image, string? authFile, bool plainHttp, string digestFile) =>
        ShellCommand.Of("skopeo", "copy", "--quiet", "--preserve-digests", "--digestfile", digestFile)
            .With(Auth("--src-authfile", authFile)).With(Auth("--dest-authfile", authFile))
            .With("--src-tls-verify=" + Verify(plainHttp), "--dest-tls-verify=" + Verify(plainHttp), "docker://" + source, "docker://" + image);

    private static string[] Auth(string option, string? authFile) => authFile is null ? [] : [option, authFile];

    private static string Verify(bool plainHttp) => plainHttp ? "false" : "true";
}
