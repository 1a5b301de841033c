using PurchasePredict.Api.Frames;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Loading;

/// <summary>A model ready to serve, with what it is and where it came from (<see cref="ModelIdentity"/>).</summary>
public sealed class LoadedModel(LightGbmModel model, string source, ModelIdentity identity)
{
    public LightGbmModel Model { get; } = model;

    public FrameSchema Schema { get; } = FrameSchema.For(model);

    /// <summary>The configured location, and what it resolved to (e.g. <c>models:/m@staging -> gs://b/o</c>).</summary>
    public string Source { get; } = source;

    public ModelIdentity Identity { get; } = identity;
}
