using PurchasePredict.Api.Frames;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Loading;

/// <summary>A model ready to serve, with where it came from (for the start-up log line).</summary>
public sealed class LoadedModel(LightGbmModel model, string source, string? registryVersion, string textSha256)
{
    public LightGbmModel Model { get; } = model;

    public FrameSchema Schema { get; } = FrameSchema.For(model);

    /// <summary>The configured location, and what it resolved to (e.g. <c>models:/m@staging -> gs://b/o</c>).</summary>
    public string Source { get; } = source;

    /// <summary>The MLflow model version, when the model came from the registry.</summary>
    public string? RegistryVersion { get; } = registryVersion;

    /// <summary>The SHA-256 of the model text, lower-case hexadecimal.</summary>
    public string TextSha256 { get; } = textSha256;
}
