using System.Text;
using System.Text.Json;

namespace PurchasePredict.Api.Frames;

/// <summary>
/// Row index labels of a columns-oriented frame (<c>{"col": {"label": value}}</c>), in first-seen
/// order, which is the order pandas gives the rows (<c>DataFrame</c> from a dict of dicts unions the
/// inner keys without sorting). Label i is row i. Clients send the same labels in the same order in
/// every column, so the label at the same position is tried first; a dictionary is built only when
/// a large frame arrives shuffled.
/// </summary>
internal sealed class RowLabels
{
    private const int LinearSearchLimit = 16;

    private byte[] _bytes = new byte[1024];
    private int _used;
    private int[] _starts = new int[64];
    private int[] _lengths = new int[64];
    private int _count;
    private Dictionary<string, int>? _index;

    public int Count => _count;

    public void Clear()
    {
        _used = 0;
        _count = 0;
        _index = null;
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
        _index ??= BuildIndex();
        return _index.TryGetValue(reader.GetString()!, out var row) ? row : -1;
    }

    /// <summary>Adds the reader's current property name as the next row's label.</summary>
    public void Add(ref Utf8JsonReader reader)
    {
        var maxLength = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (_used + maxLength > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + maxLength));
        if (_count == _starts.Length)
        {
            Array.Resize(ref _starts, _count * 2);
            Array.Resize(ref _lengths, _count * 2);
        }
        var length = reader.CopyString(_bytes.AsSpan(_used));
        _index?.Add(Encoding.UTF8.GetString(_bytes, _used, length), _count);
        _starts[_count] = _used;
        _lengths[_count] = length;
        _used += length;
        _count++;
    }

    private ReadOnlySpan<byte> Label(int row) => _bytes.AsSpan(_starts[row], _lengths[row]);

    private Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(_count * 2, StringComparer.Ordinal);
        for (var i = 0; i < _count; i++)
            index.TryAdd(Get(i), i);
        return index;
    }
}
