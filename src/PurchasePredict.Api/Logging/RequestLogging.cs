using System.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PurchasePredict.Api.Logging;

/// <summary>Rows in the request's frame, set by the prediction endpoints for the request log line.</summary>
public sealed class RequestRows
{
    public int Count { get; set; }
}

/// <summary>
/// The access log (ACCESS_LOG=true): one structured log line per request: method, path, status, rows, milliseconds.
/// The status is what the client got: 500 when the app failed before answering, 499 (nginx's "client closed
/// request") when the client went away. A failed request (5xx but 503, which answers "not ready yet") is logged at
/// Warning, also with the access log off.
/// A client that goes away is its own business: one Debug line with the reason, no error and no stack trace.
/// </summary>
public static class RequestLogging
{
    public const string Category = "PurchasePredict.Api.Requests";

    public const int ClientClosedRequest = 499;

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var log = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        var logRequests = log.IsEnabled(LogLevel.Information);
        var logFailures = log.IsEnabled(LogLevel.Warning);
        return app.Use(async (context, next) =>
        {
            var start = logFailures ? Stopwatch.GetTimestamp() : 0;
            var rows = logRequests ? new RequestRows() : null;
            if (rows is not null) context.Features.Set(rows);
            int? failedWith = null;
            try
            {
                await next(context);
            }
            catch (Exception e) when (IsClientGone(context, e))
            {
                // Nothing can be answered; rethrowing would make Kestrel log an error with a stack trace.
                log.ClientAborted(context.Request.Method, context.Request.Path.Value ?? "", e.GetType().Name);
            }
            catch
            {
                failedWith = context.Response.HasStarted ? context.Response.StatusCode : StatusCodes.Status500InternalServerError;
                throw;
            }
            finally
            {
                var status = context.RequestAborted.IsCancellationRequested ? ClientClosedRequest : failedWith ?? context.Response.StatusCode;
                // 503 is what the service answers by design while it is not ready (its model loading): not a failure.
                var failed = status >= StatusCodes.Status500InternalServerError && status != StatusCodes.Status503ServiceUnavailable;
                if (logRequests || (failed && logFailures))
                {
                    log.Request(failed ? LogLevel.Warning : LogLevel.Information, context.Request.Method, context.Request.Path.Value ?? "",
                        status, rows?.Count ?? 0, Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 3));
                }
            }
        });
    }

    private static bool IsClientGone(HttpContext context, Exception e) =>
        context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException or ConnectionAbortedException;

    public static void SetRows(HttpContext context, int rows)
    {
        if (context.Features.Get<RequestRows>() is { } feature) feature.Count = rows;
    }
}
