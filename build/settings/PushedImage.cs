#nullable enable
using System.Text.Json;
using System.Text.RegularExpressions;

// What Push pushed, artifacts/image.json: Deploy deploys Reference (by digest), so every VM runs exactly
// the bytes that were tested, whatever the moving tag points at later. Written and read here only.
public sealed record PushedImage(
    string Repository,
    string Digest,
    string Commit,
    string? Branch,
    string? Environment,
    IReadOnlyList<string>? Tags,
    DateTimeOffset? PushedAt)
{
    // Relaxed escaping: a dry run's <stand-in> digest stays readable.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Reference => $"{Repository}@{Digest}";

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    public static PushedImage Read(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new DeployException($"{path} is missing: Deploy deploys what Push pushed; run ./build.sh --target=Deploy (it pushes first).");
        }
        PushedImage? image;
        try
        {
            image = JsonSerializer.Deserialize<PushedImage>(System.IO.File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new DeployException($"{path} is not valid JSON: {e.Message}");
        }
        // The reference goes into the unit and onto the VMs' command lines: a registry host and a path, nothing else.
        return image is not null && Regex.IsMatch(image.Repository ?? "", "^[A-Za-z0-9.-]+(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+\\z")
            && Regex.IsMatch(image.Digest ?? "", "^sha256:[0-9a-f]{64}\\z") && Regex.IsMatch(image.Commit ?? "", "^[0-9a-f]{7,40}\\z")
            ? image
            : throw new DeployException($"{path} does not name a pushed image: expected \"repository\" (<registry>/<path>), \"digest\" (sha256:...) and \"commit\".");
    }
}
