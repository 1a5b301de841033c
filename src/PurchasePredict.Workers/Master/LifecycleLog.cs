using System.Globalization;
using PurchasePredict.Workers.Logs;

namespace PurchasePredict.Workers.Master;

/// <summary>
/// The master's worker lifecycle events as JSON lines on stdout, in the shape of the API's own log lines
/// (Microsoft's JSON console format), so one parser reads both:
/// <c>{"Timestamp":"...Z","EventId":0,"LogLevel":"Information","Category":"PurchasePredict.Workers.Master",
/// "Message":"worker_started Pid=42 Slot=0","State":{"Event":"worker_started","Pid":42,"Slot":0}}</c>.
/// Each line is at most 4096 bytes (<see cref="JsonLogLine"/>: a worker's long error is cut, credentials redacted)
/// and goes out in one write(2), so it never interleaves with the workers' lines on the shared stdout,
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
        var message = string.Join(' ', fields.Select(f => $"{f.Name}={Format(f.Value)}").Prepend(@event));
        List<KeyValuePair<string, object?>> state = [new("Event", @event), .. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))];
        lock (_gate)
        {
            output.Write(JsonLogLine.Format(time.GetUtcNow(), 0, level, Category, message, null, state));
            output.Flush();
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
