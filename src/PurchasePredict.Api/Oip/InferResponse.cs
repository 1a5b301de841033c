using System.Text.Json;
using PurchasePredict.Api.Predictions;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Oip;

/// <summary>
/// An inference response: <c>{"model_name", "model_version", "id", "outputs": [{"name", "shape", "datatype", "data"}]}</c>,
/// the requested outputs in the order asked. <paramref name="scores"/> holds the model's classCount outputs per row.
/// </summary>
internal static class InferResponse
{
    public static void Write(Utf8JsonWriter json, string modelName, string modelVersion, InferRequest request, double[] scores, LightGbmModel model)
    {
        json.WriteStartObject();
        json.WriteString("model_name"u8, modelName);
        json.WriteString("model_version"u8, modelVersion);
        if (request.Id is not null) json.WriteString("id"u8, request.Id);
        json.WritePropertyName("outputs"u8);
        json.WriteStartArray();
        foreach (var output in request.Outputs) WriteOutput(json, output, scores, request.Rows, model);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteOutput(Utf8JsonWriter json, InferOutput output, double[] scores, int rows, LightGbmModel model)
    {
        var classes = model.ClassCount;
        var label = output == InferOutput.Label;
        json.WriteStartObject();
        json.WriteString("name"u8, InferOutputs.Name(output));
        json.WritePropertyName("shape"u8);
        json.WriteStartArray();
        json.WriteNumberValue(rows);
        if (classes > 1 && !label) json.WriteNumberValue(classes);
        json.WriteEndArray();
        json.WriteString("datatype"u8, label ? "INT64" : "FP64");
        json.WritePropertyName("data"u8);
        json.WriteStartArray();
        if (label)
        {
            for (var row = 0; row < rows; row++) json.WriteNumberValue(PredictionsResult.Label(scores.AsSpan(row * classes, classes), model.Kind));
        }
        else
        {
            foreach (var score in scores.AsSpan(0, rows * classes)) PredictionsResult.WriteNumber(json, score);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
