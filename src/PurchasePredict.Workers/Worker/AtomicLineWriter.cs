using System.Text;

namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Console output for a worker: whole lines, each in one write(2). Workers and the master share one stdout;
/// the default console writer flushes every 256 characters, so two processes' long log lines interleave and
/// break the JSON lines. A write of up to PIPE_BUF (4096) bytes to a pipe is atomic.
/// </summary>
internal sealed class AtomicLineWriter(Stream output) : TextWriter
{
    private readonly StringBuilder _pending = new();

    public override Encoding Encoding { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public override void Write(char value)
    {
        _pending.Append(value);
        if (value == '\n')
            WritePendingLines();
    }

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        _pending.Append(buffer);
        if (buffer.Contains('\n'))
            WritePendingLines();
    }

    /// <summary>Writes every complete line pending, in one write; a trailing partial line waits for its end.</summary>
    private void WritePendingLines()
    {
        var text = _pending.ToString();
        var end = text.LastIndexOf('\n') + 1;
        output.Write(Encoding.GetBytes(text, 0, end));
        _pending.Remove(0, end);
    }

    public override void Flush()
    {
        if (_pending.Length > 0)
        {
            output.Write(Encoding.GetBytes(_pending.ToString()));
            _pending.Clear();
        }
        output.Flush();
    }
}
