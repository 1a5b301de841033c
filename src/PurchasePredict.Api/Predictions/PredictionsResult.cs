using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Predictions;

/// <summary>
/// Writes model outputs straight to the response with <see cref="Utf8JsonWriter"/>:
/// <paramref name="outputs"/> holds <paramref name="classCount"/> values per row, row-major.
/// </summary>
public sealed class PredictionsResult(double[] outputs, int rows, int classCount, ModelKind kind, AnswerFormat format) : IResult
{
    public const double BinaryThreshold = 0.5;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        Write(response.BodyWriter);
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    private void Write(System.IO.Pipelines.PipeWriter body)
    {
        using var json = new Utf8JsonWriter(body);
        if (format == AnswerFormat.Mlflow)
        {
            json.WriteStartObject();
            json.WritePropertyName("predictions"u8);
        }
        json.WriteStartArray();
        for (var row = 0; row < rows; row++)
        {
            var values = outputs.AsSpan(row * classCount, classCount);
            if (format == AnswerFormat.Labels && kind != ModelKind.Regression) json.WriteNumberValue(Label(values, kind));
            else if (classCount == 1) WriteNumber(json, values[0]);
            else
            {
                json.WriteStartArray();
                foreach (var value in values) WriteNumber(json, value);
                json.WriteEndArray();
            }
        }
        json.WriteEndArray();
        if (format == AnswerFormat.Mlflow) json.WriteEndObject();
    }

    /// <summary>Binary: 1 when the probability is above 0.5; multiclass: the most probable class (first on ties).</summary>
    public static int Label(ReadOnlySpan<double> values, ModelKind kind)
    {
        if (kind == ModelKind.Binary) return values[0] > BinaryThreshold ? 1 : 0;
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    // JSON has no NaN or infinity; a model with such leaves answers null rather than failing the request.
    public static void WriteNumber(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value)) json.WriteNumberValue(value);
        else json.WriteNullValue();
    }
}
