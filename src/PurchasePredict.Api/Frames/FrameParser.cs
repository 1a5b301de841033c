using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace PurchasePredict.Api.Frames;

/// <summary>
/// Reads a request body into a row-major matrix of doubles aligned to a <see cref="FrameSchema"/>
/// (NaN = missing), in one pass of <see cref="Utf8JsonReader"/>. Accepted shapes (src/PurchasePredict.Api/README.md):
/// pandas columns orient (optionally wrapped in a JSON string, as the tutorial client sends it),
/// records, split, and MLflow's dataframe_split, dataframe_records, instances and inputs.
/// An instance keeps its buffers between requests (see <see cref="Rent"/>), so parsing allocates
/// nothing per row. Every problem is a <see cref="FrameException"/>.
/// </summary>
public sealed class FrameParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    [ThreadStatic] private static FrameParser? t_cached;

    private readonly RowLabels _labels = new();
    private FrameSchema _schema = null!;
    private int _maxRows;
    private double[] _values = new double[1024];
    private int _rows;
    private bool _labelled;
    private bool[] _seen = [];
    private int[] _columnFeatures = new int[64];
    private byte[] _unwrapped = [];

    /// <summary>Rows of the last parsed frame.</summary>
    public int RowCount => _rows;

    /// <summary>The last parsed frame: <see cref="RowCount"/> rows of the schema's feature count.</summary>
    public ReadOnlySpan<double> Values => _values.AsSpan(0, _rows * _schema.FeatureCount);

    /// <summary>A parser for this thread; give it back with <see cref="Return"/> once its values are used.</summary>
    public static FrameParser Rent()
    {
        var parser = t_cached ?? new FrameParser();
        t_cached = null;
        return parser;
    }

    public static void Return(FrameParser parser)
    {
        // Do not let one huge request pin its buffers to a thread for good.
        if (parser._values.Length > 1 << 20) parser._values = new double[1024];
        if (parser._unwrapped.Length > 1 << 20) parser._unwrapped = [];
        t_cached = parser;
    }

    public void Parse(ReadOnlySequence<byte> body, FrameSchema schema, int maxRows)
    {
        _schema = schema;
        _maxRows = maxRows;
        _rows = 0;
        _labelled = false;
        _labels.Clear();
        if (_seen.Length != schema.FeatureCount) _seen = new bool[schema.FeatureCount];
        else Array.Clear(_seen);
        try
        {
            if (IsBlank(body)) throw FrameException.Empty("the request body is empty");
            var reader = new Utf8JsonReader(body, ReaderOptions);
            reader.Read();
            if (reader.TokenType == JsonTokenType.String) ParseWrapped(ref reader);
            else ParseWhole(ref reader);
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
        CheckComplete();
    }

    /// <summary>The tutorial's client sends <c>json=df.to_json()</c>: a JSON string whose text is the frame.</summary>
    private void ParseWrapped(ref Utf8JsonReader outer)
    {
        var maxLength = outer.HasValueSequence ? checked((int)outer.ValueSequence.Length) : outer.ValueSpan.Length;
        if (_unwrapped.Length < maxLength) _unwrapped = new byte[Math.Max(maxLength, 4096)];
        var length = outer.CopyString(_unwrapped);
        EnsureEnd(ref outer);
        var inner = _unwrapped.AsSpan(0, length);
        if (IsBlank(inner)) throw FrameException.Empty("the JSON string in the body is empty");
        var reader = new Utf8JsonReader(inner, ReaderOptions);
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
            throw FrameException.Shape("the body is a JSON string holding another JSON string; expected a frame inside");
        ParseWhole(ref reader);
    }

    private void ParseWhole(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                ParseObject(ref reader);
                break;
            case JsonTokenType.StartArray:
                ParseRowList(ref reader, "the frame");
                break;
            default:
                throw FrameException.Shape($"the body must be a frame (a JSON object or array, or a JSON string holding one), not a {Describe(reader.TokenType)}");
        }
        EnsureEnd(ref reader);
    }

    private static bool IsBlank(ReadOnlySequence<byte> body)
    {
        foreach (var segment in body)
            if (!IsBlank(segment.Span)) return false;
        return true;
    }

    private static bool IsBlank(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        // Throws JsonException on anything but whitespace after the value.
        if (reader.Read()) throw FrameException.Malformed("unexpected content after the JSON value");
    }

    private void ParseObject(ref Utf8JsonReader reader)
    {
        var probe = reader;
        probe.Read();
        if (probe.TokenType == JsonTokenType.EndObject) throw FrameException.Empty("the frame has no columns");
        // Fast path: the first key is a model feature, so this is a columns-oriented frame.
        if (_schema.FindFeature(ref probe, 0) >= 0)
        {
            ParseColumns(ref reader);
            return;
        }
        switch (ClassifyObject(reader))
        {
            case ObjectShape.Mlflow:
                ParseMlflow(ref reader);
                break;
            case ObjectShape.Split:
                ParseSplit(ref reader);
                break;
            default:
                ParseColumns(ref reader);
                break;
        }
    }

    private enum ObjectShape { Columns, Split, Mlflow }

    private static ObjectShape ClassifyObject(Utf8JsonReader probe)
    {
        bool onlySplitKeys = true, hasData = false, hasColumns = false;
        while (probe.Read() && probe.TokenType == JsonTokenType.PropertyName)
        {
            if (MlflowKey(ref probe) != MlflowInput.None) return ObjectShape.Mlflow;
            var isData = probe.ValueTextEquals("data"u8);
            var isColumns = probe.ValueTextEquals("columns"u8);
            hasData |= isData;
            hasColumns |= isColumns;
            onlySplitKeys &= isData || isColumns || probe.ValueTextEquals("index"u8);
            probe.Read();
            probe.Skip();
        }
        return onlySplitKeys && hasData && hasColumns ? ObjectShape.Split : ObjectShape.Columns;
    }

    private enum MlflowInput { None, DataframeSplit, DataframeRecords, Instances, Inputs }

    private static MlflowInput MlflowKey(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("dataframe_split"u8) ? MlflowInput.DataframeSplit
        : reader.ValueTextEquals("dataframe_records"u8) ? MlflowInput.DataframeRecords
        : reader.ValueTextEquals("instances"u8) ? MlflowInput.Instances
        : reader.ValueTextEquals("inputs"u8) ? MlflowInput.Inputs
        : MlflowInput.None;

    /// <summary>MLflow scoring protocol: one of four input keys; other keys (e.g. "params") are ignored.</summary>
    private void ParseMlflow(ref Utf8JsonReader reader)
    {
        var found = MlflowInput.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = MlflowKey(ref reader);
            reader.Read();
            if (key == MlflowInput.None)
            {
                reader.Skip();
                continue;
            }
            if (found != MlflowInput.None)
                throw FrameException.Shape("give exactly one of dataframe_split, dataframe_records, instances or inputs");
            found = key;
            switch (key, reader.TokenType)
            {
                case (MlflowInput.DataframeSplit, JsonTokenType.StartObject):
                    ParseSplit(ref reader);
                    break;
                case (MlflowInput.DataframeRecords or MlflowInput.Instances or MlflowInput.Inputs, JsonTokenType.StartArray):
                    ParseRowList(ref reader, Name(key));
                    break;
                case (MlflowInput.Inputs, JsonTokenType.StartObject):
                    ParseColumns(ref reader);
                    break;
                default:
                    throw FrameException.Shape($"\"{Name(key)}\" cannot be a {Describe(reader.TokenType)}");
            }
        }
    }

    private static string Name(MlflowInput key) => key switch
    {
        MlflowInput.DataframeSplit => "dataframe_split",
        MlflowInput.DataframeRecords => "dataframe_records",
        MlflowInput.Instances => "instances",
        _ => "inputs",
    };

    /// <summary>
    /// Columns orient: <c>{"col": {"label": v, ...}, ...}</c>, or <c>{"col": [v, ...], ...}</c>.
    /// Columns that are not features still contribute their row labels, as they do in pandas.
    /// </summary>
    private void ParseColumns(ref Utf8JsonReader reader)
    {
        var listLength = -1;
        var guess = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var feature = _schema.FindFeature(ref reader, guess);
            if (feature >= 0)
            {
                if (_seen[feature])
                    throw new FrameException(400, "Duplicate column", $"column '{_schema.FeatureName(feature)}' appears twice", _schema.FeatureName(feature));
                _seen[feature] = true;
                guess = feature + 1;
            }
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject when listLength < 0:
                    _labelled = true;
                    ReadLabelledColumn(ref reader, feature);
                    break;
                case JsonTokenType.StartArray when !_labelled:
                    ReadListColumn(ref reader, feature, ref listLength);
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    throw FrameException.Shape("the frame mixes columns given as objects (row label to value) and as arrays");
                default:
                    if (feature >= 0)
                        throw new FrameException(400, "Unsupported frame shape",
                            $"column '{_schema.FeatureName(feature)}' must be an object of row label to value, or an array of values, not a {Describe(reader.TokenType)}",
                            _schema.FeatureName(feature));
                    break;
            }
        }
    }

    private void ReadLabelledColumn(ref Utf8JsonReader reader, int feature)
    {
        var position = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var row = _labels.Find(ref reader, position);
            if (row < 0)
            {
                AddRow();
                _labels.Add(ref reader);
                row = _rows - 1;
            }
            position++;
            reader.Read();
            if (feature < 0) reader.Skip();
            else Set(row, feature, ref reader);
        }
    }

    private void ReadListColumn(ref Utf8JsonReader reader, int feature, ref int listLength)
    {
        var row = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (row == _rows) AddRow();
            if (feature < 0) reader.Skip();
            else Set(row, feature, ref reader);
            row++;
        }
        if (listLength >= 0 && row != listLength)
            throw FrameException.Shape($"columns have different lengths ({listLength} and {row} values)");
        listLength = row;
    }

    /// <summary>Records (<c>[{"col": v}, ...]</c>) or positional rows (<c>[[v, ...], ...]</c>, in the model's feature order).</summary>
    private void ParseRowList(ref Utf8JsonReader reader, string where)
    {
        var kind = JsonTokenType.None;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var token = reader.TokenType;
            if (token is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                throw FrameException.Shape($"{where}: row {_rows} must be an object (a record) or an array (values in the model's feature order), not a {Describe(token)}");
            if (kind != JsonTokenType.None && token != kind)
                throw FrameException.Shape($"{where} mixes rows given as objects and as arrays");
            kind = token;
            AddRow();
            if (token == JsonTokenType.StartObject) ReadRecord(ref reader);
            else ReadPositionalRow(ref reader);
        }
    }

    private void ReadRecord(ref Utf8JsonReader reader)
    {
        var row = _rows - 1;
        var guess = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var feature = _schema.FindFeature(ref reader, guess);
            reader.Read();
            if (feature < 0)
            {
                reader.Skip();
                continue;
            }
            _seen[feature] = true;
            guess = feature + 1;
            Set(row, feature, ref reader);
        }
    }

    private void ReadPositionalRow(ref Utf8JsonReader reader)
    {
        var row = _rows - 1;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count < _schema.FeatureCount) Set(row, count, ref reader);
            else reader.Skip();
            count++;
        }
        if (count != _schema.FeatureCount)
            throw new FrameException(400, "Invalid row",
                $"row {row} has {count} values; a row given as an array needs exactly {_schema.FeatureCount}, in the model's feature order",
                row: Label(row));
        Array.Fill(_seen, true);
    }

    /// <summary>Split orient: <c>{"columns": [...], "index": [...], "data": [[...], ...]}</c>, keys in any order.</summary>
    private void ParseSplit(ref Utf8JsonReader reader)
    {
        var columnCount = ReadSplitColumns(reader);
        var sawData = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isData = reader.ValueTextEquals("data"u8);
            reader.Read();
            if (!isData)
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartArray)
                throw FrameException.Shape($"\"data\" must be an array of rows, not a {Describe(reader.TokenType)}");
            sawData = true;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw FrameException.Shape($"\"data\" row {_rows} must be an array, not a {Describe(reader.TokenType)}");
                AddRow();
                ReadSplitRow(ref reader, columnCount);
            }
        }
        if (!sawData) throw FrameException.Shape("a split frame needs \"data\"");
    }

    private int ReadSplitColumns(Utf8JsonReader probe)
    {
        while (probe.Read() && probe.TokenType == JsonTokenType.PropertyName)
        {
            var isColumns = probe.ValueTextEquals("columns"u8);
            probe.Read();
            if (!isColumns)
            {
                probe.Skip();
                continue;
            }
            if (probe.TokenType != JsonTokenType.StartArray)
                throw FrameException.Shape($"\"columns\" must be an array of column names, not a {Describe(probe.TokenType)}");
            var count = 0;
            var guess = 0;
            while (probe.Read() && probe.TokenType != JsonTokenType.EndArray)
            {
                var feature = probe.TokenType is JsonTokenType.String or JsonTokenType.Number ? _schema.FindFeature(ref probe, guess) : -1;
                probe.Skip();
                if (feature >= 0)
                {
                    if (_seen[feature])
                        throw new FrameException(400, "Duplicate column", $"column '{_schema.FeatureName(feature)}' appears twice", _schema.FeatureName(feature));
                    _seen[feature] = true;
                    guess = feature + 1;
                }
                if (count == _columnFeatures.Length) Array.Resize(ref _columnFeatures, count * 2);
                _columnFeatures[count++] = feature;
            }
            return count;
        }
        throw FrameException.Shape("a split frame needs \"columns\"");
    }

    private void ReadSplitRow(ref Utf8JsonReader reader, int columnCount)
    {
        var row = _rows - 1;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var feature = count < columnCount ? _columnFeatures[count] : -1;
            if (feature < 0) reader.Skip();
            else Set(row, feature, ref reader);
            count++;
        }
        if (count != columnCount)
            throw new FrameException(400, "Invalid row", $"\"data\" row {row} has {count} values for {columnCount} columns", row: Label(row));
    }

    private void AddRow()
    {
        if (_rows == _maxRows) throw FrameException.TooManyRows(_maxRows);
        var width = _schema.FeatureCount;
        var end = (_rows + 1) * width;
        if (end > _values.Length) Array.Resize(ref _values, Math.Max(_values.Length * 2, end));
        _values.AsSpan(_rows * width, width).Fill(double.NaN);
        _rows++;
    }

    private void Set(int row, int feature, ref Utf8JsonReader reader) =>
        _values[row * _schema.FeatureCount + feature] = ReadCell(ref reader, feature, row);

    private double ReadCell(ref Utf8JsonReader reader, int feature, int row)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetDouble(out var number) && double.IsFinite(number)) return number;
                throw BadValue(feature, row, "the number is out of range");
            case JsonTokenType.Null:
                return double.NaN;
            case JsonTokenType.True:
                return 1;
            case JsonTokenType.False:
                return 0;
            case JsonTokenType.String:
                return ReadText(ref reader, feature, row);
            default:
                throw BadValue(feature, row, $"expected a number, a string or null, not a {Describe(reader.TokenType)}");
        }
    }

    /// <summary>
    /// Text is a pandas category (mapped to its code) for a categorical feature, otherwise it must
    /// be a number as text ("NaN" is missing), as pandas' read_json would convert it.
    /// </summary>
    private double ReadText(ref Utf8JsonReader reader, int feature, int row)
    {
        if (_schema.HasCategoryNames(feature))
        {
            var code = _schema.FindCategory(feature, ref reader);
            if (code >= 0) return code;
        }
        if (TryParseNumberText(ref reader, out var number)) return number;
        var text = Shorten(reader.GetString()!);
        if (_schema.HasCategoryNames(feature))
            throw BadValue(feature, row, $"unknown category \"{text}\"");
        if (_schema.IsCategorical(feature))
            throw BadValue(feature, row, $"text \"{text}\" for a categorical feature whose model has no category names; send the integer code");
        throw BadValue(feature, row, $"text \"{text}\" where a number is needed");
    }

    private static bool TryParseNumberText(ref Utf8JsonReader reader, out double number)
    {
        Span<byte> utf8 = stackalloc byte[64];
        var maxLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        number = 0;
        if (maxLength > utf8.Length) return false;
        var length = reader.CopyString(utf8);
        return double.TryParse(utf8[..length], NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    private void CheckComplete()
    {
        if (_rows == 0) throw FrameException.Empty("the frame has no rows");
        for (var feature = 0; feature < _seen.Length; feature++)
            if (!_seen[feature]) throw FrameException.MissingColumn(_schema.FeatureName(feature));
    }

    private FrameException BadValue(int feature, int row, string detail) =>
        FrameException.BadValue(_schema.FeatureName(feature), Label(row), detail);

    /// <summary>The pandas index label of a row: the client's label in columns orient, else its position.</summary>
    private string Label(int row) => _labelled ? _labels.Get(row) : row.ToString(CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "...");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
