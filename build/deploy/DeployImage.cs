#nullable enable
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;

// The image Push produced (artifacts/image.json): deployed by digest, so every VM runs the same bytes
// whatever happens to the tags meanwhile.
public sealed record DeployImage(string Repository, string Digest, string Commit)
{
    public string Reference => Repository + "@" + Digest;

    // Reads artifacts/image.json: "digest" (sha256:...), "commit", and the repository either as
    // "repository" or as the tagged "image" (registry/project/name:tag).
    public static DeployImage Read(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new DeployException($"{path} is missing: Deploy deploys what Push pushed; run ./build.sh --target=Deploy (it pushes first).");
        }
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        var json = document.RootElement;
        string? Text(string name) => json.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var repository = Text("repository") ?? (Text("image") is { } image ? Regex.Replace(image, "(?<=/[^/]*):[^:/]+$|@.*$", "") : null);
        var digest = Text("digest");
        var commit = Text("commit");
        if (repository is null || digest is null || !Regex.IsMatch(digest, "^sha256:[0-9a-f]{64}$") || commit is null || !Regex.IsMatch(commit, "^[0-9a-f]{7,40}$"))
        {
            throw new DeployException($"{path} does not name a pushed image: expected \"repository\" (or \"image\"), \"digest\" (sha256:...) and \"commit\".");
        }
        return new DeployImage(repository, digest, commit);
    }
}
