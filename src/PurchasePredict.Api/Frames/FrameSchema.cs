using System.Buffers;
using System.Text;
using System.Text.Json;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Frames;

/// <summary>
/// What a request frame must provide, taken once from a model: feature names (to match columns in
/// any order) and, per categorical feature, the pandas category strings whose position is the code.
/// Lookups take the JSON reader's current token so the hot path decodes no strings.
/// </summary>
public sealed class FrameSchema
{
    private readonly string[] _names;
    private readonly byte[][] _utf8Names;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byName;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>?[] _categoryCodes;
    private readonly bool[] _categorical;

    public FrameSchema(IReadOnlyList<string> featureNames, IReadOnlyList<IReadOnlyList<string>?> categories, IReadOnlyList<bool> categorical)
    {
        if (categories.Count != featureNames.Count || categorical.Count != featureNames.Count)
            throw new ArgumentException("feature names, categories and categorical flags must have one entry per feature");
        _names = [.. featureNames];
        _utf8Names = [.. _names.Select(Encoding.UTF8.GetBytes)];
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _names.Length; i++)
            byName.TryAdd(_names[i], i);
        _byName = byName.GetAlternateLookup<ReadOnlySpan<char>>();
        _categorical = [.. categorical];
        _categoryCodes = new Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>?[_names.Length];
        for (var i = 0; i < _names.Length; i++)
        {
            if (categories[i] is not { } names) continue;
            var codes = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var code = 0; code < names.Count; code++)
                codes.TryAdd(names[code], code);
            _categoryCodes[i] = codes.GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    public static FrameSchema For(LightGbmModel model) =>
        new(model.FeatureNames, model.PandasCategories, [.. Enumerable.Range(0, model.FeatureCount).Select(model.IsCategorical)]);

    public int FeatureCount => _names.Length;

    public string FeatureName(int feature) => _names[feature];

    public bool IsCategorical(int feature) => _categorical[feature];

    public bool HasCategoryNames(int feature) => _categoryCodes[feature] is not null;

    /// <summary>
    /// The feature named by the reader's current property name (or string/number token), or -1.
    /// <paramref name="guess"/> is tried first: clients usually send columns in the model's order.
    /// </summary>
    public int FindFeature(ref Utf8JsonReader reader, int guess)
    {
        if (reader.TokenType == JsonTokenType.Number)
            return FindByBytes(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        if ((uint)guess < (uint)_utf8Names.Length && reader.ValueTextEquals(_utf8Names[guess]))
            return guess;
        return WithChars(ref reader, this, static (schema, text) => schema._byName.TryGetValue(text, out var i) ? i : -1);
    }

    /// <summary>The pandas code of the reader's current string token, or -1 when it is not a known category.</summary>
    public int FindCategory(int feature, ref Utf8JsonReader reader)
    {
        var lookup = _categoryCodes[feature];
        if (lookup is null) return -1;
        return WithChars(ref reader, lookup.Value, static (codes, text) => codes.TryGetValue(text, out var code) ? code : -1);
    }

    private int FindByBytes(ReadOnlySpan<byte> utf8)
    {
        for (var i = 0; i < _utf8Names.Length; i++)
            if (utf8.SequenceEqual(_utf8Names[i])) return i;
        return -1;
    }

    private static int WithChars<TState>(ref Utf8JsonReader reader, TState state, Func<TState, ReadOnlySpan<char>, int> lookup)
    {
        var byteLength = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (byteLength <= 256)
        {
            Span<char> chars = stackalloc char[256];
            var length = reader.CopyString(chars);
            return lookup(state, chars[..length]);
        }
        var rented = System.Buffers.ArrayPool<char>.Shared.Rent(byteLength);
        try
        {
            var length = reader.CopyString(rented);
            return lookup(state, rented.AsSpan(0, length));
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
    }
}
