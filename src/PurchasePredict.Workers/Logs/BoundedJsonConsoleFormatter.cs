using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace PurchasePredict.Workers.Logs;

/// <summary>
/// Microsoft's JSON console log shape, written by <see cref="JsonLogLine"/>: each line at most 4096 bytes,
/// long fields cut with a marker, credentials redacted. Scopes are not written (the service uses none).
/// </summary>
public sealed class BoundedJsonConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "bounded-json";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (logEntry.Exception is null && message is null) return;
        var line = JsonLogLine.Format(DateTimeOffset.UtcNow, logEntry.EventId.Id, LevelName(logEntry.LogLevel), logEntry.Category,
            message ?? "", logEntry.Exception?.ToString(), logEntry.State as IReadOnlyList<KeyValuePair<string, object?>>);
        textWriter.Write(Encoding.UTF8.GetString(line));
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "Trace",
        LogLevel.Debug => "Debug",
        LogLevel.Information => "Information",
        LogLevel.Warning => "Warning",
        LogLevel.Error => "Error",
        LogLevel.Critical => "Critical",
        _ => level.ToString(),
    };
}

public static class BoundedJsonConsoleLogging
{
    /// <summary>Console logging in <see cref="BoundedJsonConsoleFormatter"/>'s lines, in place of the default formatter.</summary>
    public static ILoggingBuilder AddBoundedJsonConsole(this ILoggingBuilder logging)
    {
        logging.AddConsole(options =>
        {
            options.FormatterName = BoundedJsonConsoleFormatter.FormatterName;
            // A log reader that falls behind (docker's log chain and journald on a busy VM: one line per request) must
            // not hold requests: by default a full queue blocks the logging call, and every request waited for stdout
            // (0.3 to 1 s gaps between answers in the sandbox). Past the queue's 2,500 lines, lines are dropped and
            // the logger says how many; journald drops lines past its rate limit anyway.
            options.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite;
        });
        // Registered directly: AddConsoleFormatter binds options from configuration by reflection (not AOT-safe), and this one has none.
        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, BoundedJsonConsoleFormatter>());
        return logging;
    }
}
