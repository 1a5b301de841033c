#nullable enable
// skopeo command lines (Debian's `skopeo`): it copies an OCI layout to a registry as it is, so the
// registry serves the digest the Image step computed, and asks a registry for a tag's digest.
// Credentials: docker's own config file (what `docker login` wrote, credential helpers included);
// a missing file means anonymous. A registry on the loopback interface speaks plain HTTP.
public static class Skopeo
{
    // The image's manifest digest (sha256:...) on standard output. A missing tag fails with
    // "manifest unknown", a missing repository with "name unknown": RegistryTags.IsAbsent reads that.
    public static ShellCommand Digest(string image, string authFile, bool plainHttp) =>
        ShellCommand.Of("skopeo", "inspect", "--no-tags", "--format", "{{.Digest}}", "--authfile", authFile, "--tls-verify=" + Verify(plainHttp), "docker://" + image)
            .Planned("<digest in the registry, if any>");

    // --preserve-digests: skopeo refuses to push anything whose digest would change (recompressed
    // layers, a converted manifest) instead of doing it; --digestfile: the digest the registry stored.
    // skopeo reads "oci:<path>:<reference>": a path with a colon would be cut there.
    public static ShellCommand Copy(string layout, string image, string authFile, bool plainHttp, string digestFile) =>
        layout.Contains(':')
            ? throw new ArgumentException($"skopeo cannot read an image layout whose path has a ':': {layout}.", nameof(layout))
            : ShellCommand.Of("skopeo", "copy", "--quiet", "--preserve-digests", "--digestfile", digestFile,
                "--dest-authfile", authFile, "--dest-tls-verify=" + Verify(plainHttp), "oci:" + layout, "docker://" + image);

    private static string Verify(bool plainHttp) => plainHttp ? "false" : "true";
}
