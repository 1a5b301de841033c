using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Metrics;

/// <summary>The served model's name, version and kind as one line of text in a lane (<see cref="LaneText"/>), and back.</summary>
public static class ModelInfoText
{
    public static string Text(string name, string version, ModelKind kind) => $"{name}\n{version}\n{kind.ToString().ToLowerInvariant()}";

    public static (string Name, string Version, string Kind)? Parse(string? text) =>
        text?.Split('\n') is [var name, var version, var kind] ? (name, version, kind) : null;
}
