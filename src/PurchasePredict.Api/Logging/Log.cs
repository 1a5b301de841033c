using Microsoft.Extensions.Logging;

namespace PurchasePredict.Api.Logging;

/// <summary>The service's log lines, source-generated so a disabled level costs nothing and nothing boxes.</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "model loaded from {Source}: registry version {RegistryVersion}, generation {Generation}, sha256 {Sha256}, format {FormatVersion}, {Kind}, {Trees} trees, {Features} features")]
    public static partial void ModelLoaded(this ILogger log, string source, string? registryVersion, long? generation, string sha256,
        string? formatVersion, string kind, int trees, int features);

    /// <summary>Information, or Warning for a failed request (5xx but 503), which is logged even with the access log off.</summary>
    [LoggerMessage(EventId = 2, Message = "{Method} {Path} {Status} {Rows} rows {ElapsedMs} ms")]
    public static partial void Request(this ILogger log, LogLevel level, string method, string path, int status, int rows, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "{Method} {Path}: the client went away ({Reason})")]
    public static partial void ClientAborted(this ILogger log, string method, string path, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "model reload failed, still serving the model loaded from {Source}: {Reason}")]
    public static partial void ReloadFailed(this ILogger log, string source, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "idle: heap reclaimed, {BeforeMb} MB -> {AfterMb} MB")]
    public static partial void MemoryReclaimed(this ILogger log, long beforeMb, long afterMb);
}
