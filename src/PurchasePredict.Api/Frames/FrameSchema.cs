using System.Buffers;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Frames;

/// <summary>
/// What a request frame must provide, taken once from a model: feature names (to match columns in
/// any order) and, per categorical feature, the pandas category strings whose position is the code.
/// Lookups take the JSON reader's current token (or a CSV field) so the hot path decodes no strings,
/// and text longer than the longest name it could match is never decoded at all: a client's
/// megabyte-long column name or cell costs no memory.
/// </summary>
public sealed class FrameSchema
{
    /// <summary>A JSON escape (<c>\u0061</c>) spends at most 6 bytes on one byte of the text it stands for.</summary>
    private const int MaxEscapedBytesPerByte = 6;

    private readonly string[] _names;
    private readonly byte[][] _utf8Names;
    private readonly int _longestName;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byName;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>?[] _categoryCodes;
    private readonly int[] _longestCategory;
    private readonly bool[] _categorical;

    /// <summary>
    /// Throws <see cref="ModelFormatException"/> when a feature name appears twice: a frame could not name each
    /// feature, so such a model is refused when it loads rather than failing every request.
    /// </summary>
    public FrameSchema(IReadOnlyList<string> featureNames, IReadOnlyList<IReadOnlyList<string>?> categories, IReadOnlyList<bool> categorical)
    {
        if (categories.Count != featureNames.Count || categorical.Count != featureNames.Count)
            throw new ArgumentException("feature names, categories and categorical flags must have one entry per feature");
        _names = [.. featureNames];
        _utf8Names = [.. _names.Select(Encoding.UTF8.GetBytes)];
        _longestName = _utf8Names.Select(name => name.Length).DefaultIfEmpty(0).Max();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _names.Length; i++)
            if (!byName.TryAdd(_names[i], i))
                throw new ModelFormatException(
                    $"feature_names: '{_names[i]}' appears twice (features {byName[_names[i]]} and {i}), so a request could not name each feature");
        _byName = byName.GetAlternateLookup<ReadOnlySpan<char>>();
        _categorical = [.. categorical];
        _categoryCodes = new Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>?[_names.Length];
        _longestCategory = new int[_names.Length];
        for (var i = 0; i < _names.Length; i++)
        {
            if (categories[i] is not { } names) continue;
            var codes = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var code = 0; code < names.Count; code++)
            {
                codes.TryAdd(names[code], code);
                _longestCategory[i] = Math.Max(_longestCategory[i], Encoding.UTF8.GetByteCount(names[code]));
            }
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
            return reader.HasValueSequence ? -1 : FindFeature(reader.ValueSpan);
        if ((uint)guess < (uint)_utf8Names.Length && reader.ValueTextEquals(_utf8Names[guess]))
            return guess;
        return WithChars(ref reader, _longestName, this, static (schema, text) => schema._byName.TryGetValue(text, out var i) ? i : -1);
    }

    /// <summary>The feature named by a UTF-8 text (a CSV header field), or -1.</summary>
    public int FindFeature(ReadOnlySpan<byte> utf8) =>
        utf8.Length > _longestName ? -1 : WithChars(utf8, _byName, static (names, text) => names.TryGetValue(text, out var i) ? i : -1);

    /// <summary>The pandas code of the reader's current string token, or -1 when it is not a known category.</summary>
    public int FindCategory(int feature, ref Utf8JsonReader reader)
    {
        var lookup = _categoryCodes[feature];
        if (lookup is null) return -1;
        return WithChars(ref reader, _longestCategory[feature], lookup.Value, static (codes, text) => codes.TryGetValue(text, out var code) ? code : -1);
    }

    /// <summary>The pandas code of a UTF-8 text (a CSV field), or -1 when it is not a known category.</summary>
    public int FindCategory(int feature, ReadOnlySpan<byte> utf8)
    {
        if (_categoryCodes[feature] is not { } lookup || utf8.Length > _longestCategory[feature]) return -1;
        return WithChars(utf8, lookup, static (codes, text) => codes.TryGetValue(text, out var code) ? code : -1);
    }

    /// <summary>Decodes UTF-8 text no longer than a name (the callers check) and looks it up; invalid UTF-8 matches nothing.</summary>
    private static int WithChars<TState>(ReadOnlySpan<byte> utf8, TState state, Func<TState, ReadOnlySpan<char>, int> lookup)
    {
        var chars = utf8.Length <= 256 ? stackalloc char[256] : new char[utf8.Length];
        return Utf8.ToUtf16(utf8, chars, out _, out var length, replaceInvalidSequences: false) == OperationStatus.Done
            ? lookup(state, chars[..length])
            : -1;
    }

    /// <summary>Decodes the reader's current string and looks it up, unless it is too long to be any of the names (-1).</summary>
    private static int WithChars<TState>(ref Utf8JsonReader reader, int longest, TState state, Func<TState, ReadOnlySpan<char>, int> lookup)
    {
        var byteLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (byteLength > (long)longest * MaxEscapedBytesPerByte) return -1;
        if (byteLength <= 256)
        {
            Span<char> chars = stackalloc char[256];
            var length = reader.CopyString(chars);
            return lookup(state, chars[..length]);
        }
        var rented = ArrayPool<char>.Shared.Rent((int)byteLength);
        try
        {
            var length = reader.CopyString(rented);
            return lookup(state, rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }
}
