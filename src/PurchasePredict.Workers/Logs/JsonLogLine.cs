using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PurchasePredict.Workers.Logs;

/// <summary>
/// One log line in Microsoft's JSON console shape (<c>Timestamp, EventId, LogLevel, Category, Message, Exception,
/// State</c>), never longer than <see cref="MaxBytes"/> with its newline, whatever the values: a write of up to
/// PIPE_BUF (4096) bytes to a pipe is atomic, so lines from several processes sharing stdout (docker, journald)
/// never interleave. Long strings are cut with a marker (<see cref="TextCut"/>), and every string is
/// <see cref="Redaction">redacted</see>. The buffer is per thread and reused: no allocation per line beyond the values'.
/// </summary>
public static class JsonLogLine
{
    /// <summary>PIPE_BUF on Linux.</summary>
    public const int MaxBytes = 4096;

    /// <summary>The state field holding a log message's template (Microsoft.Extensions.Logging's name for it).</summary>
    private const string OriginalFormat = "{OriginalFormat}";

    /// <summary>Each pass cuts strings shorter, until the line fits; the last resort keeps only the head and the message.</summary>
    private static readonly int[] StringLimits = [1024, 256, 64];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep '>' and non-ASCII readable in log lines; they are not embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// The line, newline included, in a per-thread buffer valid until this thread's next call.
    /// <paramref name="state"/> holds the structured fields, written under "State" (numbers and booleans as such).
    /// </summary>
    public static ReadOnlySpan<byte> Format(
        DateTimeOffset time, int eventId, string level, string category, string message, string? exception,
        IReadOnlyList<KeyValuePair<string, object?>>? state)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var json = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        foreach (var limit in StringLimits)
        {
            Begin(buffer, json, time, eventId, level, category, message, limit);
            if (exception is not null) json.WriteString("Exception"u8, Clean(exception, limit));
            if (state is { Count: > 0 })
            {
                json.WriteStartObject("State"u8);
                foreach (var (name, value) in state)
                {
                    // Field names and the message template come from code, not from clients: nothing to redact or cut.
                    if (name == OriginalFormat) json.WriteString(name, value as string);
                    else WriteValue(json, name, value, limit);
                }
                json.WriteEndObject();
            }
            if (End(buffer, json)) return buffer.WrittenSpan;
        }
        Begin(buffer, json, time, eventId, level, category, message, StringLimits[^1]);
        json.WriteBoolean("Cut"u8, true);
        End(buffer, json);
        return buffer.WrittenSpan;
    }

    private static void Begin(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json,
        DateTimeOffset time, int eventId, string level, string category, string message, int limit)
    {
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartObject();
        Span<char> timestamp = stackalloc char[24];
        time.UtcDateTime.TryFormat(timestamp, out var length, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        json.WriteString("Timestamp"u8, timestamp[..length]);
        json.WriteNumber("EventId"u8, eventId);
        json.WriteString("LogLevel"u8, level);
        json.WriteString("Category"u8, category);
        json.WriteString("Message"u8, Clean(message, limit));
    }

    /// <summary>Closes the line; false when it came out longer than <see cref="MaxBytes"/>.</summary>
    private static bool End(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.Flush();
        buffer.Write("\n"u8);
        return buffer.WrittenCount <= MaxBytes;
    }

    private static string Clean(string text, int limit) => TextCut.Cut(Redaction.Text(text), limit);

    private static void WriteValue(Utf8JsonWriter json, string name, object? value, int limit)
    {
        switch (value)
        {
            case null: json.WriteNull(name); break;
            case bool flag: json.WriteBoolean(name, flag); break;
            case int number: json.WriteNumber(name, number); break;
            case long number: json.WriteNumber(name, number); break;
            case short number: json.WriteNumber(name, number); break;
            case uint number: json.WriteNumber(name, number); break;
            case ulong number: json.WriteNumber(name, number); break;
            case decimal number: json.WriteNumber(name, number); break;
            case double number when double.IsFinite(number): json.WriteNumber(name, number); break;
            case float number when float.IsFinite(number): json.WriteNumber(name, number); break;
            case IFormattable formattable: json.WriteString(name, Clean(formattable.ToString(null, CultureInfo.InvariantCulture), limit)); break;
            default: json.WriteString(name, Clean(value.ToString() ?? "", limit)); break;
        }
    }
}
