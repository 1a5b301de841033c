using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Support;

/// <summary>Open Inference Protocol requests for the tutorial's frame (models/demo/request.json).</summary>
public static class OipBodies
{
    public const string InferPath = "v2/models/purchase_predict/infer";

    /// <summary>
    /// What MLServer's pandas codec sends for the frame: one input per column, shape [N], BYTES for text columns,
    /// INT64 for whole-number columns, FP64 for the rest (null where missing).
    /// </summary>
    public static JsonObject Columns(JsonObject? frame = null)
    {
        frame ??= TutorialFrame.Columns();
        var inputs = new JsonArray();
        foreach (var (name, column) in frame)
        {
            var cells = column!.AsObject().Select(row => row.Value).ToArray();
            var datatype = cells.Any(c => c is JsonValue v && v.TryGetValue<string>(out _)) ? "BYTES"
                : cells.All(c => c is JsonValue v && v.TryGetValue<long>(out _)) ? "INT64"
                : "FP64";
            inputs.Add(new JsonObject
            {
                ["name"] = name,
                ["shape"] = new JsonArray(cells.Length),
                ["datatype"] = datatype,
                ["parameters"] = new JsonObject { ["content_type"] = datatype == "BYTES" ? "str" : "np" },
                ["data"] = new JsonArray([.. cells.Select(c => c?.DeepClone())]),
            });
        }
        return new JsonObject { ["parameters"] = new JsonObject { ["content_type"] = "pd" }, ["inputs"] = inputs };
    }

    /// <summary>One input of shape [N, F] holding <paramref name="rows"/> in the model's feature order.</summary>
    public static JsonObject Tensor(double[][] rows, string datatype = "FP64", bool nested = false) => new()
    {
        ["inputs"] = new JsonArray(new JsonObject
        {
            ["name"] = "input-0",
            ["shape"] = new JsonArray(rows.Length, rows[0].Length),
            ["datatype"] = datatype,
            ["data"] = nested
                ? new JsonArray([.. rows.Select(row => (JsonNode)new JsonArray([.. row.Select(v => (JsonNode)v)]))])
                : new JsonArray([.. rows.SelectMany(row => row).Select(v => (JsonNode)v)]),
        }),
    };
}
