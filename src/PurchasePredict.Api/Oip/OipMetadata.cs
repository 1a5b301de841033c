using System.Reflection;
using System.Text.Json;
using PurchasePredict.Api.Frames;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Oip;

/// <summary>The server's and the model's metadata (the protocol's metadata responses).</summary>
internal static class OipMetadata
{
    public const string ServerName = "purchase_predict_api";

    private static readonly string ServerVersion =
        typeof(OipMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static void WriteServer(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("name"u8, ServerName);
        json.WriteString("version"u8, ServerVersion);
        json.WritePropertyName("extensions"u8);
        json.WriteStartArray();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// Inputs as the pandas codec sends them, one per feature in the model's order ([-1]: any number of rows); a
    /// categorical feature with category names as BYTES. The [rows, features] tensor is accepted too (README).
    /// </summary>
    public static void WriteModel(Utf8JsonWriter json, string name, string version, LightGbmModel model, FrameSchema schema)
    {
        json.WriteStartObject();
        json.WriteString("name"u8, name);
        json.WritePropertyName("versions"u8);
        json.WriteStartArray();
        json.WriteStringValue(version);
        json.WriteEndArray();
        json.WriteString("platform"u8, "lightgbm");
        json.WritePropertyName("inputs"u8);
        json.WriteStartArray();
        for (var feature = 0; feature < schema.FeatureCount; feature++)
            WriteTensor(json, schema.FeatureName(feature), schema.HasCategoryNames(feature) ? "BYTES" : "FP64", 1);
        json.WriteEndArray();
        json.WritePropertyName("outputs"u8);
        json.WriteStartArray();
        var main = InferOutputs.Default(model.Kind);
        WriteTensor(json, InferOutputs.Name(main), "FP64", model.ClassCount);
        if (model.Kind != ModelKind.Regression) WriteTensor(json, InferOutputs.Name(InferOutput.Label), "INT64", 1);
        WriteTensor(json, InferOutputs.Name(InferOutput.Predict), "FP64", model.ClassCount);
        json.WriteEndArray();
        json.WritePropertyName("parameters"u8);
        json.WriteStartObject();
        json.WriteString("content_type"u8, "pd");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteTensor(Utf8JsonWriter json, string name, string datatype, int width)
    {
        json.WriteStartObject();
        json.WriteString("name"u8, name);
        json.WriteString("datatype"u8, datatype);
        json.WritePropertyName("shape"u8);
        json.WriteStartArray();
        json.WriteNumberValue(-1);
        if (width > 1) json.WriteNumberValue(width);
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
