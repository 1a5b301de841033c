using System.Buffers;
using System.Text.Json;
using PurchasePredict.Api.Frames;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Oip;

/// <summary>
/// Reads an Open Inference Protocol inference request (<c>POST /v2/models/{name}/infer</c>, JSON) into rows of the
/// model's features. Two layouts: one input of shape [N, F] with the features in the model's order, or one input per
/// feature, named after it, of shape [N] or [N, 1] (what MLServer's pandas codec sends). Every input's header (name,
/// shape, datatype) is read first, so the frame's size is checked against <see cref="FrameLimits"/> before anything is
/// allocated; then each input's data is read straight into its place. Every problem is a <see cref="FrameException"/>
/// naming the input. Cells are read as /predict reads them: categories by name, numbers as text in BYTES.
/// </summary>
internal sealed partial class InferRequestParser(FrameSchema schema, FrameLimits limits, ModelKind kind)
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>An echoed id or a quoted name never grows with the request.</summary>
    private const int MaxIdBytes = 1024;

    private const int MaxOutputs = 4;

    public InferRequest Parse(ReadOnlySequence<byte> body)
    {
        try
        {
            return ParseRequest(body);
        }
        catch (JsonException e)
        {
            throw FrameException.Malformed(e.Message);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader reports invalid UTF-8, or \u escapes that are not valid UTF-16, when a string is decoded.
            throw FrameException.Malformed(e.Message);
        }
    }

    private InferRequest ParseRequest(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw Invalid("the body must be a JSON object with \"inputs\" (an inference request)");
        string? id = null;
        List<InferInput>? inputs = null;
        List<InferOutput>? outputs = null;
        var seenId = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                Once(ref seenId, "id");
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? Text(ref reader, MaxIdBytes, "id") : throw Invalid("\"id\" must be a string");
            }
            else if (reader.ValueTextEquals("inputs"u8))
            {
                if (inputs is not null) throw Duplicate("inputs");
                reader.Read();
                inputs = ReadInputHeaders(ref reader);
            }
            else if (reader.ValueTextEquals("outputs"u8))
            {
                if (outputs is not null) throw Duplicate("outputs");
                reader.Read();
                outputs = ReadOutputs(ref reader);
            }
            else
            {
                // "parameters" and anything else this server does not understand are ignored, as the protocol allows.
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.Read()) throw FrameException.Malformed("unexpected content after the JSON value");
        if (inputs is null) throw Invalid("the request has no \"inputs\"");
        var (values, rows) = ReadFrame(body, inputs);
        return new InferRequest(id, values, rows, outputs is { Count: > 0 } ? outputs : [InferOutputs.Default(kind)]);
    }

    private List<InferInput> ReadInputHeaders(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw Invalid("\"inputs\" must be an array of input tensors");
        var inputs = new List<InferInput>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (inputs.Count == Math.Max(schema.FeatureCount, 1))
                throw Invalid($"the request has more inputs than the model has features ({schema.FeatureCount})");
            inputs.Add(ReadInputHeader(ref reader, inputs.Count));
        }
        if (inputs.Count == 0) throw FrameException.Empty("\"inputs\" is empty");
        return inputs;
    }

    private InferInput ReadInputHeader(ref Utf8JsonReader reader, int position)
    {
        var at = $"input {position}";
        if (reader.TokenType != JsonTokenType.StartObject) throw Invalid($"{at} must be an object with name, shape, datatype and data");
        string? name = null;
        var feature = -1;
        long[]? shape = null;
        TensorDatatype? datatype = null;
        long dataStart = -1, dataEnd = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                if (name is not null) throw Duplicate($"{at}'s name");
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) throw Invalid($"{at}'s name must be a string");
                feature = schema.FindFeature(ref reader, position);
                name = Text(ref reader, MaxIdBytes, $"{at}'s name");
                at = $"input '{FrameException.Quote(name)}'";
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                if (shape is not null) throw Duplicate($"{at}'s shape");
                reader.Read();
                shape = ReadShape(ref reader, at);
            }
            else if (reader.ValueTextEquals("datatype"u8))
            {
                if (datatype is not null) throw Duplicate($"{at}'s datatype");
                reader.Read();
                datatype = ReadDatatype(ref reader, at);
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                if (dataStart >= 0) throw Duplicate($"{at}'s data");
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray) throw Invalid($"{at}: data must be an array");
                dataStart = reader.TokenStartIndex;
                reader.Skip();
                dataEnd = reader.BytesConsumed;
            }
            else
            {
                // "parameters" (content_type and the like): the datatype and the model's features say all we need.
                reader.Read();
                reader.Skip();
            }
        }
        if (name is null) throw Invalid($"{at} has no name");
        if (shape is null) throw Invalid($"{at} has no shape");
        if (datatype is null) throw Invalid($"{at} has no datatype");
        if (dataStart < 0) throw Invalid($"{at} has no data (binary tensor data is not supported)");
        return new InferInput(name, feature, shape, datatype.Value, dataStart, dataEnd);
    }

    private static long[] ReadShape(ref Utf8JsonReader reader, string at)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw Invalid($"{at}: shape must be an array of sizes");
        var sizes = new List<long>(2);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (sizes.Count == 2) throw Invalid($"{at}: shape has more than 2 dimensions; send [rows, features], [rows] or [rows, 1]");
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var size) || size < 0)
                throw Invalid($"{at}: shape must hold whole numbers of 0 or more");
            sizes.Add(size);
        }
        return sizes.Count > 0 ? [.. sizes] : throw Invalid($"{at}: shape is empty; send [rows, features], [rows] or [rows, 1]");
    }

    private static TensorDatatype ReadDatatype(ref Utf8JsonReader reader, string at)
    {
        if (reader.TokenType != JsonTokenType.String) throw Invalid($"{at}: datatype must be a string");
        var text = Text(ref reader, 32, $"{at}'s datatype");
        return TensorDatatypes.TryParse(text, out var datatype)
            ? datatype
            : throw Invalid($"{at}: datatype '{FrameException.Quote(text)}' is not supported; send {TensorDatatypes.Supported}");
    }

    private List<InferOutput> ReadOutputs(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw Invalid("\"outputs\" must be an array of requested outputs");
        var outputs = new List<InferOutput>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("each requested output must be an object with a name");
            InferOutput? output = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isName = reader.ValueTextEquals("name"u8);
                reader.Read();
                if (!isName)
                {
                    reader.Skip();
                    continue;
                }
                if (output is not null) throw Duplicate("a requested output's name");
                if (reader.TokenType != JsonTokenType.String) throw Invalid("a requested output's name must be a string");
                output = InferOutputs.Parse(Text(ref reader, MaxIdBytes, "a requested output's name"), kind);
            }
            if (output is not { } named) throw Invalid("a requested output has no name");
            if (outputs.Contains(named)) throw Invalid($"output '{InferOutputs.Name(named)}' is requested twice");
            if (outputs.Count == MaxOutputs) throw Invalid($"more than {MaxOutputs} outputs requested");
            outputs.Add(named);
        }
        return outputs;
    }

    /// <summary>The current string token, refused (400) when it is longer than <paramref name="maxBytes"/>.</summary>
    private static string Text(ref Utf8JsonReader reader, int maxBytes, string what)
    {
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        return length <= maxBytes ? reader.GetString()! : throw Invalid($"{what} is longer than {maxBytes} bytes");
    }

    private static void Once(ref bool seen, string key)
    {
        if (seen) throw Duplicate(key);
        seen = true;
    }

    private static FrameException Invalid(string detail) => new(400, "Invalid inference request", detail);

    private static FrameException Duplicate(string what) => FrameException.DuplicateKey($"{what} is given twice");
}
