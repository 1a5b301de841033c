#nullable enable
using System.Linq;
using System.Text.Json;

// The identity of the model a service serves, as its GET /model answers it (src/PurchasePredict.Api/Loading/ModelIdentity.cs):
// what Reload compares, Status shows and a release of the VM's history keeps (model.json). Json is the answer as is.
public sealed record ServedModel(string Sha256, string Source, string? Version, string? Alias, long? Generation, string Json)
{
    public static ServedModel Parse(string json, string where)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            string? Text(JsonElement element, string name) =>
                element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var registry = root.TryGetProperty("registry", out var r) ? r : default;
            return new ServedModel(
                Text(root, "sha256") ?? throw new DeployException($"{where}: GET /model answered no sha256: {json}"),
                Text(root, "source") ?? "",
                Text(registry, "version"),
                Text(registry, "alias"),
                root.TryGetProperty("generation", out var g) && g.ValueKind == JsonValueKind.Number ? g.GetInt64() : null,
                json.Trim());
        }
        catch (JsonException e)
        {
            throw new DeployException($"{where}: GET /model answered no model identity ({e.Message}): {json.Trim()}", e);
        }
    }

    // Whether the source names this model for good: a registered version (models:/name/3) or a gs:// generation.
    // An alias, a stage or a live object may name another model tomorrow.
    public bool IsPinned =>
        Source.StartsWith("gs://", StringComparison.Ordinal) ? Source.Contains('#')
        : Source.StartsWith("models:/", StringComparison.Ordinal) && !Source.Contains('@')
          && Source[(Source.LastIndexOf('/') + 1)..] is { Length: > 0 } reference && reference.All(char.IsAsciiDigit);

    public override string ToString() =>
        Source + (Version is null ? "" : $" version {Version}") + (Alias is null ? "" : $" (alias {Alias})")
        + (Generation is null ? "" : $" generation {Generation}") + $" sha256 {Sha256[..Math.Min(12, Sha256.Length)]}";
}
