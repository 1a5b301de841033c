using System.Security.Cryptography;
using PurchasePredict.LightGbm;
using PurchasePredict.Workers.Logs;

namespace PurchasePredict.Api.Loading;

/// <summary>
/// What a served model is and where it came from, fixed when it is loaded. GET /model answers it, the
/// "model loaded" log line carries it, and the pipeline compares it across workers and VMs (docs/deploy.md,
/// Reload). Two models are the same model when their <see cref="Sha256"/> is.
/// </summary>
/// <param name="Source">The configured source (MODEL_URI, or the tutorial's MLflow variables), credentials redacted.</param>
/// <param name="Location">Where the model text was read, credentials redacted (a registry source resolves to its artifact).</param>
/// <param name="Registry">The MLflow registered-model version, when the source is the registry.</param>
/// <param name="Generation">The Cloud Storage object's generation, when it was read from gs://.</param>
/// <param name="Sha256">The SHA-256 of the model text, lower-case hex.</param>
public sealed record ModelIdentity(
    string Source,
    string Location,
    RegistryVersion? Registry,
    long? Generation,
    string Sha256,
    string Objective,
    int Trees,
    int Features,
    DateTimeOffset LoadedAt)
{
    public static ModelIdentity Of(
        ModelLocation source, ModelLocation location, RegistryVersion? registry, long? generation, byte[] text, LightGbmModel model, DateTimeOffset loadedAt) =>
        new(Redaction.Text(source.ToString()!), Redaction.Text(location.ToString()!), registry, generation,
            Convert.ToHexStringLower(SHA256.HashData(text)), model.Objective, model.TreeCount, model.FeatureCount, loadedAt);
}

/// <summary>An MLflow registered-model version; the alias that named it (null when none did) and its stage (null for None).</summary>
public sealed record RegistryVersion(string Name, string Version, string? Alias, string? Stage);
