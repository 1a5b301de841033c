using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PurchasePredict.Api.Frames;

/// <summary>One cell: a number, missing, or text that is a category or a number.</summary>
public sealed partial class FrameParser
{
    /// <summary>Longer text is not a number: no need to decode it.</summary>
    private const int MaxNumberTextBytes = 64;

    private void Set(int row, int feature, ref Utf8JsonReader reader) =>
        _values[row * _schema.FeatureCount + feature] = ReadCell(ref reader, feature, row);

    private double ReadCell(ref Utf8JsonReader reader, int feature, int row)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetDouble(out var number) && double.IsFinite(number)) return number;
                throw OutOfRange(feature, row);
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
        Span<byte> utf8 = stackalloc byte[MaxNumberTextBytes];
        var maxLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        var length = maxLength <= utf8.Length ? reader.CopyString(utf8) : -1;
        if (length >= 0 && TryParseNumberText(utf8[..length], out var number))
            return double.IsFinite(number) || double.IsNaN(number) ? number : throw OutOfRange(feature, row);
        throw NotACategoryOrNumber(feature, row, Preview(ref reader));
    }

    /// <summary>
    /// A number written as text, as pandas converts it: <c>"3.5"</c>, <c>" 1e3 "</c>; <c>"NaN"</c> is missing.
    /// Text that overflows (<c>"1e400"</c>, <c>"Infinity"</c>) parses as infinite: the caller refuses it as it
    /// refuses the number 1e400.
    /// </summary>
    private static bool TryParseNumberText(ReadOnlySpan<byte> utf8, out double number) =>
        double.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out number);

    private FrameException NotACategoryOrNumber(int feature, int row, string text)
    {
        if (_schema.HasCategoryNames(feature))
            return BadValue(feature, row, $"unknown category \"{text}\"");
        if (_schema.IsCategorical(feature))
            return BadValue(feature, row, $"text \"{text}\" for a categorical feature whose model has no category names; send the integer code");
        return BadValue(feature, row, $"text \"{text}\" where a number is needed");
    }

    /// <summary>The start of the reader's string, for an error message, without decoding all of a long one.</summary>
    private static string Preview(ref Utf8JsonReader reader)
    {
        const int maxBytes = 6 * FrameException.QuotedChars;
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length <= maxBytes) return FrameException.Quote(reader.GetString()!);
        // Too long to decode whole: quote its start as sent (escapes included).
        const int quoted = FrameException.QuotedChars;
        var start = reader.HasValueSequence ? reader.ValueSequence.Slice(0, quoted).ToArray() : reader.ValueSpan[..quoted].ToArray();
        return $"{Encoding.UTF8.GetString(start)}...[{length} bytes in all]";
    }

    private FrameException OutOfRange(int feature, int row) => BadValue(feature, row, "the number is out of range");

    private FrameException BadValue(int feature, int row, string detail) =>
        FrameException.BadValue(_schema.FeatureName(feature), Label(row), detail);
}
