using System.Buffers;
using System.Globalization;
using System.Text.Json;
using PurchasePredict.Api.Frames;

namespace PurchasePredict.Api.Oip;

/// <summary>The layout of the inputs, checked against the limits, then each input's data read into its place.</summary>
internal sealed partial class InferRequestParser
{
    private (double[] Values, int Rows) ReadFrame(ReadOnlySequence<byte> body, List<InferInput> inputs)
    {
        var width = schema.FeatureCount;
        var tensor = inputs is [{ Shape: [_, var columns] } only] && columns == width && (width > 1 || only.Feature < 0);
        var rows = tensor ? inputs[0].Shape[0] : ColumnRows(inputs);
        if (rows == 0) throw FrameException.Empty("the inputs have no rows");
        if (rows > limits.MaxRows) throw FrameException.TooManyRows(limits.MaxRows);
        if (rows * limits.RowBytes(width) > limits.MaxFrameBytes) throw FrameException.FrameTooLarge(limits, width, (int)rows);
        var values = new double[rows * width];
        foreach (var input in inputs)
        {
            var reader = new Utf8JsonReader(body.Slice(input.DataStart, input.DataEnd - input.DataStart), ReaderOptions);
            ReadData(ref reader, input, tensor ? rows * width : rows, tensor ? 0 : input.Feature, tensor ? 1 : width);
        }
        return (values, (int)rows);

        // One value of input per element k at values[offset + k * stride].
        void ReadData(ref Utf8JsonReader reader, InferInput input, long count, int offset, int stride)
        {
            var depth = 0;
            long k = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartArray:
                        depth++;
                        continue;
                    case JsonTokenType.EndArray:
                        if (--depth == 0) break;
                        continue;
                    default:
                        if (k == count) throw Invalid($"input '{Quoted(input)}' has more values than its shape {input.ShapeText} holds ({count})");
                        var feature = tensor ? (int)(k % width) : input.Feature;
                        values[offset + k * stride] = Cell(ref reader, input, feature, k);
                        k++;
                        continue;
                }
                break;
            }
            if (k != count) throw Invalid($"input '{Quoted(input)}' has {k} values; its shape {input.ShapeText} needs {count}");
        }
    }

    /// <summary>One input per model feature, each [N] or [N, 1], all with the same N.</summary>
    private long ColumnRows(List<InferInput> inputs)
    {
        var seen = new InferInput?[schema.FeatureCount];
        long rows = -1;
        foreach (var input in inputs)
        {
            if (input.Feature < 0)
            {
                throw inputs.Count == 1 && input.Shape.Length == 2
                    ? Invalid($"input '{Quoted(input)}' has shape {input.ShapeText}: one input needs shape [rows, {schema.FeatureCount}] " +
                              "(the model's features in order), or send one input per feature, named after it")
                    : Invalid($"input '{Quoted(input)}' is not a model feature; send one input per feature, named after it " +
                              $"(the model's features: {string.Join(", ", Enumerable.Range(0, Math.Min(schema.FeatureCount, 20)).Select(schema.FeatureName))}" +
                              $"{(schema.FeatureCount > 20 ? ", ..." : "")})");
            }
            if (seen[input.Feature] is not null) throw FrameException.DuplicateColumn(input.Name);
            seen[input.Feature] = input;
            if (input.Shape is not ([_] or [_, 1]))
                throw Invalid($"input '{Quoted(input)}' has shape {input.ShapeText}; an input per feature needs [rows] or [rows, 1]");
            if (rows >= 0 && input.Shape[0] != rows)
                throw Invalid($"input '{Quoted(input)}' has {input.Shape[0]} rows, other inputs {rows}");
            rows = input.Shape[0];
        }
        for (var feature = 0; feature < seen.Length; feature++)
            if (seen[feature] is null) throw FrameException.MissingColumn(schema.FeatureName(feature));
        return rows;
    }

    private double Cell(ref Utf8JsonReader reader, InferInput input, int feature, long element)
    {
        var token = reader.TokenType;
        switch (input.Datatype)
        {
            case TensorDatatype.FP64 or TensorDatatype.FP32 when token == JsonTokenType.Number:
                if (!reader.TryGetDouble(out var number) || !double.IsFinite(number) || (input.Datatype == TensorDatatype.FP32 && !float.IsFinite((float)number)))
                    throw BadCell(input, element, $"the number is out of range for {input.Datatype}");
                // An FP32 tensor holds 32-bit floats: the model sees what a client's float32 array holds.
                return input.Datatype == TensorDatatype.FP32 ? (float)number : number;
            case TensorDatatype.FP64 or TensorDatatype.FP32 or TensorDatatype.BYTES when token == JsonTokenType.Null:
                // Missing, as null is in a /predict frame; INT and BOOL tensors have no missing value.
                return double.NaN;
            case TensorDatatype.INT64 when token == JsonTokenType.Number:
                return reader.TryGetInt64(out var whole) ? whole : throw BadCell(input, element, "INT64 needs whole numbers within 64 bits");
            case TensorDatatype.INT32 when token == JsonTokenType.Number:
                return reader.TryGetInt32(out var small) ? small : throw BadCell(input, element, "INT32 needs whole numbers within 32 bits");
            case TensorDatatype.BOOL when token is JsonTokenType.True or JsonTokenType.False:
                return token == JsonTokenType.True ? 1 : 0;
            case TensorDatatype.BYTES when token == JsonTokenType.String:
                return BytesCell(ref reader, input, feature, element);
            default:
                throw BadCell(input, element, $"{Describe(token)} where {input.Datatype} needs {Expected(input.Datatype)}");
        }
    }

    /// <summary>BYTES: a category of a categorical feature (its pandas code), else a number as text, "NaN" missing, as /predict reads text.</summary>
    private double BytesCell(ref Utf8JsonReader reader, InferInput input, int feature, long element)
    {
        if (schema.HasCategoryNames(feature))
        {
            var code = schema.FindCategory(feature, ref reader);
            if (code >= 0) return code;
        }
        Span<byte> utf8 = stackalloc byte[FrameParser.MaxNumberTextBytes];
        var length = (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) <= utf8.Length ? reader.CopyString(utf8) : -1;
        if (length >= 0 && FrameParser.TryParseNumberText(utf8[..length], out var number) && !double.IsInfinity(number)) return number;
        var what = schema.HasCategoryNames(feature) ? $"not a category of feature '{schema.FeatureName(feature)}' nor a number" : "not a number";
        throw BadCell(input, element, $"text {(length >= 0 ? $"\"{FrameException.Quote(System.Text.Encoding.UTF8.GetString(utf8[..length]))}\" " : "")}is {what}");
    }

    private static string Expected(TensorDatatype datatype) => datatype switch
    {
        TensorDatatype.FP64 or TensorDatatype.FP32 => "numbers (null for missing)",
        TensorDatatype.BYTES => "strings (null for missing)",
        TensorDatatype.INT64 or TensorDatatype.INT32 => "whole numbers",
        _ => "true or false",
    };

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string Quoted(InferInput input) => FrameException.Quote(input.Name);

    private static FrameException BadCell(InferInput input, long element, string detail) =>
        new(400, "Invalid value", $"input '{Quoted(input)}', value {element.ToString(CultureInfo.InvariantCulture)}: {detail}", input.Name);
}
