using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace PurchasePredict.Workers.Master;

/// <summary>
/// The master's worker lifecycle events as JSON lines on stdout, in the shape of the API's own log lines
/// (Microsoft's JSON console format), so one parser reads both:
/// <c>{"Timestamp":"...Z","EventId":0,"LogLevel":"Information","Category":"PurchasePredict.Workers.Master",
/// "Message":"worker_started Pid=42 Slot=0","State":{"Event":"worker_started","Pid":42,"Slot":0}}</c>.
/// Each line goes out in one write(2), so it never interleaves with the workers' lines on the shared stdout,
/// and synchronously: the master may exit right after its last event.
/// </summary>
internal sealed class LifecycleLog(Stream output, TimeProvider time)
{
    public const string Category = "PurchasePredict.Workers.Master";

    private readonly Lock _gate = new();

    public void Info(string @event, params (string Name, object? Value)[] fields) => Write("Information", @event, fields);

    public void Warning(string @event, params (string Name, object? Value)[] fields) => Write("Warning", @event, fields);

    public void Error(string @event, params (string Name, object? Value)[] fields) => Write("Error", @event, fields);

    private void Write(string level, string @event, (string Name, object? Value)[] fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Timestamp", time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteNumber("EventId", 0);
            json.WriteString("LogLevel", level);
            json.WriteString("Category", Category);
            json.WriteString("Message", string.Join(' ', fields.Select(f => $"{f.Name}={Format(f.Value)}").Prepend(@event)));
            json.WriteStartObject("State");
            json.WriteString("Event", @event);
            foreach (var (name, value) in fields)
                WriteField(json, name, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        buffer.Write("\n"u8);
        lock (_gate)
        {
            output.Write(buffer.WrittenSpan);
            output.Flush();
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void WriteField(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null: json.WriteNull(name); break;
            case int number: json.WriteNumber(name, number); break;
            case long number: json.WriteNumber(name, number); break;
            case double number: json.WriteNumber(name, number); break;
            case bool flag: json.WriteBoolean(name, flag); break;
            default: json.WriteString(name, value.ToString()); break;
        }
    }
}
