using System.Text;
using System.Text.Json;

namespace PurchasePredict.Api.Frames;

/// <summary>
/// Row index labels of a columns-oriented frame (<c>{"col": {"label": value}}</c>), in first-seen
/// order, which is the order pandas gives the rows (<c>DataFrame</c> from a dict of dicts unions the
/// inner keys without sorting). Label i is row i. Clients send the same labels in the same order in
/// every column, so the label at the same position is tried first; a dictionary is built only when
/// a large frame arrives shuffled. A label is at most <see cref="MaxLabelBytes"/>, so the labels of
/// MAX_ROWS rows take a bounded amount of memory whatever the body holds.
/// </summary>
internal sealed class RowLabels
{
    /// <summary>
    /// The longest row label accepted, in UTF-8 bytes. pandas labels are integers, dates or short ids
    /// (to_json writes a DatetimeIndex as epoch milliseconds); 256 bytes leaves room for any of them.
    /// </summary>
    public const int MaxLabelBytes = 256;

    // An escape such as \u0061 spends up to 6 bytes on one byte of the label.
    private const int MaxEscapedLength = 6 * MaxLabelBytes;

    private const int LinearSearchLimit = 16;
    private const int InitialBytes = 1024;
    private const int InitialCount = 64;

    /// <summary>Buffers above these sizes are dropped after a request, so one large frame does not stay in memory.</summary>
    private const int KeptBytes = 64 * 1024;
    private const int KeptCount = 4096;

    private byte[] _bytes = new byte[InitialBytes];
    private int _used;
    private int[] _starts = new int[InitialCount];
    private int[] _lengths = new int[InitialCount];
    private int _count;
    private Dictionary<string, int>? _index;

    public int Count => _count;

    public void Clear()
    {
        _used = 0;
        _count = 0;
        _index = null;
    }

    /// <summary>Clears, and gives back buffers a large frame made grow.</summary>
    public void Trim()
    {
        Clear();
        if (_bytes.Length > KeptBytes) _bytes = new byte[InitialBytes];
        if (_starts.Length > KeptCount)
        {
            _starts = new int[InitialCount];
            _lengths = new int[InitialCount];
        }
    }

    public string Get(int row) => Encoding.UTF8.GetString(_bytes, _starts[row], _lengths[row]);

    /// <summary>The row of the reader's current property name, or -1 when the label is new.</summary>
    public int Find(ref Utf8JsonReader reader, int position)
    {
        if (position < _count && reader.ValueTextEquals(Label(position)))
            return position;
        if (_count <= LinearSearchLimit)
        {
            for (var i = 0; i < _count; i++)
                if (reader.ValueTextEquals(Label(i))) return i;
            return -1;
        }
        // A label too long to be stored is not among them (Add refuses it); do not decode it.
        if (EscapedLength(ref reader) > MaxEscapedLength) return -1;
        _index ??= BuildIndex();
        return _index.TryGetValue(reader.GetString()!, out var row) ? row : -1;
    }

    /// <summary>Adds the reader's current property name as the next row's label; refuses one over <see cref="MaxLabelBytes"/>.</summary>
    public void Add(ref Utf8JsonReader reader)
    {
        var maxLength = EscapedLength(ref reader);
        if (maxLength > MaxEscapedLength) throw FrameException.LabelTooLong();
        if (_used + maxLength > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + (int)maxLength));
        if (_count == _starts.Length)
        {
            Array.Resize(ref _starts, _count * 2);
            Array.Resize(ref _lengths, _count * 2);
        }
        var length = reader.CopyString(_bytes.AsSpan(_used));
        if (length > MaxLabelBytes) throw FrameException.LabelTooLong();
        _index?.Add(Encoding.UTF8.GetString(_bytes, _used, length), _count);
        _starts[_count] = _used;
        _lengths[_count] = length;
        _used += length;
        _count++;
    }

    private static long EscapedLength(ref Utf8JsonReader reader) =>
        reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;

    private ReadOnlySpan<byte> Label(int row) => _bytes.AsSpan(_starts[row], _lengths[row]);

    private Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(_count * 2, StringComparer.Ordinal);
        for (var i = 0; i < _count; i++)
            index.TryAdd(Get(i), i);
        return index;
    }
}
