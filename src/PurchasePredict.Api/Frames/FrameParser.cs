using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace PurchasePredict.Api.Frames;

/// <summary>
/// Reads a request body into a row-major matrix of doubles aligned to a <see cref="FrameSchema"/>
/// (NaN = missing), in one pass of <see cref="Utf8JsonReader"/>. Accepted shapes (src/PurchasePredict.Api/README.md):
/// pandas columns orient (optionally wrapped in a JSON string, as the tutorial client sends it),
/// records, split, MLflow's dataframe_split, dataframe_records, instances and inputs, and CSV.
/// An instance keeps its buffers between requests (see <see cref="Rent"/>), so parsing allocates
/// nothing per row; <see cref="FrameLimits"/> bound what one request can make them grow to.
/// Every problem is a <see cref="FrameException"/>.
/// </summary>
public sealed partial class FrameParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Buffers above these sizes are dropped when a parser is returned: one huge request does not pin memory to a thread.</summary>
    private const int KeptValues = 64 * 1024;
    private const int KeptBytes = 256 * 1024;
    private const int KeptColumns = 1024;

    [ThreadStatic] private static FrameParser? t_cached;

    private readonly RowLabels _labels = new();
    private FrameSchema _schema = null!;
    private FrameLimits _limits;
    private long _rowBytes;
    private double[] _values = new double[1024];
    private int _rows;
    private bool _labelled;
    private bool[] _seen = [];
    /// <summary>Per row, the last labelled column that set it: a label twice in one column is a duplicate key.</summary>
    private int[] _rowColumn = new int[64];
    private int _column;
    /// <summary>Per feature, the last record (row + 1) that set it: a key twice in one record is a duplicate key.</summary>
    private int[] _featureRecord = [];
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
        if (parser._values.Length > KeptValues) parser._values = new double[1024];
        if (parser._unwrapped.Length > KeptBytes) parser._unwrapped = [];
        if (parser._field.Length > KeptBytes) parser._field = [];
        if (parser._rowColumn.Length > KeptValues) parser._rowColumn = new int[64];
        if (parser._columnFeatures.Length > KeptColumns) parser._columnFeatures = new int[64];
        parser._labels.Trim();
        t_cached = parser;
    }

    /// <summary>A JSON body (a leading UTF-8 byte order mark is skipped, as Python's json.loads does for bytes).</summary>
    public void Parse(ReadOnlySequence<byte> body, FrameSchema schema, FrameLimits limits)
    {
        Begin(schema, limits);
        body = WithoutByteOrderMark(body);
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

    private void Begin(FrameSchema schema, FrameLimits limits)
    {
        _schema = schema;
        _limits = limits;
        _rowBytes = limits.RowBytes(schema.FeatureCount);
        _rows = 0;
        _column = 0;
        _labelled = false;
        _labels.Clear();
        if (_seen.Length != schema.FeatureCount)
        {
            _seen = new bool[schema.FeatureCount];
            _featureRecord = new int[schema.FeatureCount];
        }
        else
        {
            Array.Clear(_seen);
            Array.Clear(_featureRecord);
        }
    }

    private static ReadOnlySequence<byte> WithoutByteOrderMark(ReadOnlySequence<byte> body)
    {
        if (body.Length < 3) return body;
        Span<byte> start = stackalloc byte[3];
        body.Slice(0, 3).CopyTo(start);
        return start.SequenceEqual("\uFEFF"u8) ? body.Slice(3) : body;
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

    private void AddRow()
    {
        if (_rows == _limits.MaxRows) throw FrameException.TooManyRows(_limits.MaxRows);
        if ((_rows + 1) * _rowBytes > _limits.MaxFrameBytes) throw FrameException.FrameTooLarge(_limits, _schema.FeatureCount, _rows + 1);
        var width = _schema.FeatureCount;
        var end = (_rows + 1) * width;
        if (end > _values.Length) Array.Resize(ref _values, Math.Max(_values.Length * 2, end));
        _values.AsSpan(_rows * width, width).Fill(double.NaN);
        if (_rows == _rowColumn.Length) Array.Resize(ref _rowColumn, _rows * 2);
        _rowColumn[_rows] = 0;
        _rows++;
    }

    private void CheckComplete()
    {
        if (_rows == 0) throw FrameException.Empty("the frame has no rows");
        for (var feature = 0; feature < _seen.Length; feature++)
            if (!_seen[feature]) throw FrameException.MissingColumn(_schema.FeatureName(feature));
    }

    /// <summary>The pandas index label of a row: the client's label in columns orient, else its position.</summary>
    private string Label(int row) => _labelled ? _labels.Get(row) : row.ToString(CultureInfo.InvariantCulture);

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
