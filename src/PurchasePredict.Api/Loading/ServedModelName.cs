using PurchasePredict.Api.Settings;

namespace PurchasePredict.Api.Loading;

/// <summary>
/// The name and version the model is served under (the Open Inference Protocol's <c>{name}</c> and <c>{version}</c>,
/// the metrics' model info): kept in this one place so every surface names the model the same way.
/// </summary>
public static class ServedModelName
{
    public const string Fallback = "purchase_predict";

    /// <summary>MODEL_NAME when set, else the MLflow registered model's name when the model comes from the registry, else <see cref="Fallback"/>.</summary>
    public static string Name(ApiSettings settings) =>
        settings.ModelName ?? (settings.Model as RegistryModel)?.Name ?? Fallback;

    /// <summary>The MLflow model version when the model came from the registry, else the first 12 hex digits of its text's SHA-256.</summary>
    public static string Version(LoadedModel model) => model.Identity.Registry?.Version ?? model.Identity.Sha256[..Math.Min(12, model.Identity.Sha256.Length)];
}
