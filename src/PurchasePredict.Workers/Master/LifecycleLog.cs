using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PurchasePredict.Workers.Master;

/// <summary>
/// The master's worker lifecycle events as JSON lines on stdout, next to the workers' own request logs,
/// e.g. <c>{"time":"...","level":"info","source":"master","event":"worker_started","pid":42,"slot":0}</c>.
/// Written synchronously: the master may exit right after its last event.
/// </summary>
internal sealed class LifecycleLog(TextWriter output, TimeProvider time)
{
    private readonly Lock _gate = new();

    public void Info(string @event, params (string Name, object? Value)[] fields) => Write("info", @event, fields);

    public void Warning(string @event, params (string Name, object? Value)[] fields) => Write("warning", @event, fields);

    public void Error(string @event, params (string Name, object? Value)[] fields) => Write("error", @event, fields);

    private void Write(string level, string @event, (string Name, object? Value)[] fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", time.GetUtcNow());
            json.WriteString("level", level);
            json.WriteString("source", "master");
            json.WriteString("event", @event);
            foreach (var (name, value) in fields)
                WriteField(json, name, value);
            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private static void WriteField(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null: json.WriteNull(name); break;
            case int number: json.WriteNumber(name, number); break;
            case long number: json.WriteNumber(name, number); break;
            case double number: json.WriteNumber(name, Math.Round(number, 3)); break;
            case bool flag: json.WriteBoolean(name, flag); break;
            default: json.WriteString(name, value.ToString()); break;
        }
    }
}
