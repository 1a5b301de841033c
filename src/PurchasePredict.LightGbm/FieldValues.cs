using System.Globalization;

namespace PurchasePredict.LightGbm;

/// <summary>Reads the space-separated numbers of a model field, naming the field and the bad token on failure.</summary>
internal static class FieldValues
{
    public static int Int(FieldBlock block, Field field)
    {
        if (!int.TryParse(field.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw block.Error(field, $"should be an integer, found '{ModelText.Shorten(field.Value)}'");
        }

        return value;
    }

    public static int[] Ints(FieldBlock block, Field field, int expectedCount) =>
        Parse<int>(block, field, expectedCount, "integer", static (string token, out int value) =>
            int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value));

    public static uint[] UInts(FieldBlock block, Field field, int expectedCount) =>
        Parse<uint>(block, field, expectedCount, "unsigned 32-bit integer", static (string token, out uint value) =>
            uint.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out value));

    public static double[] Doubles(FieldBlock block, Field field, int expectedCount) =>
        Parse<double>(block, field, expectedCount, "number", TryParseDouble);

    /// <summary>LightGBM prints doubles with <c>%.17g</c>, so infinities and NaN appear as <c>inf</c> and <c>nan</c>.</summary>
    public static bool TryParseDouble(string token, out double value)
    {
        switch (token.ToLowerInvariant())
        {
            case "inf" or "+inf" or "infinity" or "+infinity":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-infinity":
                value = double.NegativeInfinity;
                return true;
            case "nan" or "-nan" or "+nan":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private delegate bool TryParser<T>(string token, out T value);

    private static T[] Parse<T>(FieldBlock block, Field field, int expectedCount, string what, TryParser<T> tryParse)
    {
        var tokens = field.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length != expectedCount)
        {
            throw block.Error(field, $"should have {expectedCount} values, found {tokens.Length}");
        }

        var values = new T[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!tryParse(tokens[i], out values[i]))
            {
                throw block.Error(field, $"value {i + 1} should be a {what}, found '{ModelText.Shorten(tokens[i])}'");
            }
        }

        return values;
    }
}
