using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace PurchasePredict.Api.Frames;

/// <summary>
/// <c>text/csv</c>, as MLflow's scoring server reads it (<c>pd.read_csv(data)</c> in mlflow/pyfunc/scoring_server):
/// a header of column names, then one row per record; rows are labelled by position.
/// </summary>
public sealed partial class FrameParser
{
    /// <summary>pandas' default <c>na_values</c>: these fields are missing values.</summary>
    private static readonly byte[][] PandasMissingValues = [.. new[]
    {
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
        "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    }.Select(Encoding.UTF8.GetBytes)];

    private const int LongestMissingValue = 8;

    private byte[] _field = [];

    /// <summary>
    /// A CSV body: columns are matched to features by header name (others are ignored); a row with more fields
    /// than the header is refused, one with fewer has the rest missing, as pandas does.
    /// </summary>
    public void ParseCsv(ReadOnlySequence<byte> body, FrameSchema schema, FrameLimits limits)
    {
        Begin(schema, limits);
        var text = Contiguous(WithoutByteOrderMark(body));
        if (!Utf8.IsValid(text)) throw CsvReader.Malformed("the body is not UTF-8 text");
        var csv = new CsvReader(text);
        if (!csv.NextRecord()) throw FrameException.Empty("the request body is empty");
        var columns = ReadCsvHeader(ref csv);
        while (csv.NextRecord())
        {
            AddRow();
            var row = _rows - 1;
            var count = 0;
            while (csv.NextField(out var field))
            {
                if (count == columns)
                    throw new FrameException(400, "Invalid row", $"row {row} has more fields than the header's {columns}", row: Label(row));
                var feature = _columnFeatures[count++];
                if (feature >= 0)
                    _values[row * _schema.FeatureCount + feature] = ReadCsvCell(field.Unescape(ref _field), feature, row);
            }
        }
        CheckComplete();
    }

    private int ReadCsvHeader(ref CsvReader csv)
    {
        var count = 0;
        while (csv.NextField(out var field))
        {
            var feature = _schema.FindFeature(field.Unescape(ref _field));
            if (feature >= 0)
            {
                if (_seen[feature]) throw FrameException.DuplicateColumn(_schema.FeatureName(feature));
                _seen[feature] = true;
            }
            if (count == _columnFeatures.Length) Array.Resize(ref _columnFeatures, count * 2);
            _columnFeatures[count++] = feature;
        }
        return count;
    }

    /// <summary>Missing (pandas' NA texts), a boolean, a category, or a number; the same rules as JSON text.</summary>
    private double ReadCsvCell(ReadOnlySpan<byte> text, int feature, int row)
    {
        if (text.Length <= LongestMissingValue && IsMissing(text)) return double.NaN;
        if (text.SequenceEqual("True"u8) || text.SequenceEqual("TRUE"u8) || text.SequenceEqual("true"u8)) return 1;
        if (text.SequenceEqual("False"u8) || text.SequenceEqual("FALSE"u8) || text.SequenceEqual("false"u8)) return 0;
        var code = _schema.FindCategory(feature, text);
        if (code >= 0) return code;
        if (text.Length <= MaxNumberTextBytes && TryParseNumberText(text, out var number))
            return double.IsFinite(number) || double.IsNaN(number) ? number : throw OutOfRange(feature, row);
        var quoted = text.Length <= FrameException.QuotedChars
            ? Encoding.UTF8.GetString(text)
            : $"{Encoding.UTF8.GetString(text[..FrameException.QuotedChars])}...[{text.Length} bytes in all]";
        throw NotACategoryOrNumber(feature, row, quoted);
    }

    private static bool IsMissing(ReadOnlySpan<byte> text)
    {
        foreach (var missing in PandasMissingValues)
            if (text.SequenceEqual(missing)) return true;
        return false;
    }

    /// <summary>The body in one span: itself when Kestrel handed it over in one segment, else a copy in a reused buffer.</summary>
    private ReadOnlySpan<byte> Contiguous(ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment) return body.FirstSpan;
        var length = checked((int)body.Length);
        if (_unwrapped.Length < length) _unwrapped = new byte[Math.Max(length, 4096)];
        body.CopyTo(_unwrapped);
        return _unwrapped.AsSpan(0, length);
    }
}
