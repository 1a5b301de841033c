namespace PurchasePredict.Api.Frames;

/// <summary>
/// RFC 4180 records and fields over UTF-8 text, as pandas' <c>read_csv</c> reads them with its defaults
/// (what MLflow's scoring server calls for <c>text/csv</c>): comma-separated, <c>"</c> quotes with <c>""</c>
/// for a quote inside, line ends <c>\n</c>, <c>\r\n</c> or <c>\r</c>, blank lines skipped. Fields are slices
/// of the text; only a quoted field holding <c>""</c> needs <see cref="CsvField.Unescape"/>.
/// </summary>
internal ref struct CsvReader(ReadOnlySpan<byte> text)
{
    private readonly ReadOnlySpan<byte> _text = text;
    private int _position;
    private bool _inRecord;

    /// <summary>Moves to the next non-blank record; false at the end of the text.</summary>
    public bool NextRecord()
    {
        while (_position < _text.Length && _text[_position] is (byte)'\r' or (byte)'\n')
            _position++;
        _inRecord = _position < _text.Length;
        return _inRecord;
    }

    /// <summary>The next field of the current record; false once the record has no more.</summary>
    public bool NextField(out CsvField field)
    {
        field = default;
        if (!_inRecord) return false;
        field = _position < _text.Length && _text[_position] == '"' ? ReadQuoted() : ReadPlain();
        if (_position < _text.Length && _text[_position] == ',')
            _position++;
        else
            _inRecord = false;
        return true;
    }

    private CsvField ReadPlain()
    {
        var rest = _text[_position..];
        var end = rest.IndexOfAny((byte)',', (byte)'\r', (byte)'\n');
        if (end < 0) end = rest.Length;
        _position += end;
        return new CsvField(rest[..end], hasDoubledQuotes: false);
    }

    private CsvField ReadQuoted()
    {
        var start = ++_position;
        var doubled = false;
        while (true)
        {
            var quote = _text[_position..].IndexOf((byte)'"');
            if (quote < 0) throw Malformed($"a quoted field starting at byte {start - 1} is never closed");
            _position += quote + 1;
            if (_position < _text.Length && _text[_position] == '"')
            {
                doubled = true;
                _position++;
                continue;
            }
            var field = new CsvField(_text[start..(_position - 1)], doubled);
            if (_position < _text.Length && _text[_position] is not ((byte)',' or (byte)'\r' or (byte)'\n'))
                throw Malformed($"text after the closing quote of a field at byte {_position}");
            return field;
        }
    }

    public static FrameException Malformed(string detail) => new(400, "Malformed CSV", detail);
}

/// <summary>One field's bytes, without its enclosing quotes.</summary>
internal readonly ref struct CsvField(ReadOnlySpan<byte> raw, bool hasDoubledQuotes)
{
    public ReadOnlySpan<byte> Raw { get; } = raw;

    private bool HasDoubledQuotes { get; } = hasDoubledQuotes;

    /// <summary>The field's text: <see cref="Raw"/>, or with each <c>""</c> made <c>"</c> in <paramref name="scratch"/>.</summary>
    public ReadOnlySpan<byte> Unescape(ref byte[] scratch)
    {
        if (!HasDoubledQuotes) return Raw;
        if (scratch.Length < Raw.Length) scratch = new byte[Math.Max(Raw.Length, 256)];
        var length = 0;
        for (var i = 0; i < Raw.Length; i++)
        {
            scratch[length++] = Raw[i];
            if (Raw[i] == '"') i++;
        }
        return scratch.AsSpan(0, length);
    }
}
