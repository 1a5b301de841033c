using System.Globalization;
using System.Text.Json;

namespace PurchasePredict.Api.Frames;

/// <summary>One cell: a number, missing, or text that is a category or a number.</summary>
public sealed partial class FrameParser
{
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

    private FrameException BadValue(int feature, int row, string detail) =>
        FrameException.BadValue(_schema.FeatureName(feature), Label(row), detail);

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "...");
}
