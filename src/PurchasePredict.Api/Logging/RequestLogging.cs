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
/// One structured log line per request: method, path, status, rows, milliseconds. The status is what the client
/// got: 500 when the app failed before answering, 499 (nginx's "client closed request") when the client went away.
/// A client that goes away is its own business: one Debug line with the reason, no error and no stack trace.
/// </summary>
public static class RequestLogging
{
    public const int ClientClosedRequest = 499;

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var log = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("PurchasePredict.Api.Requests");
        var logRequests = log.IsEnabled(LogLevel.Information);
        return app.Use(async (context, next) =>
        {
            var start = Stopwatch.GetTimestamp();
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
                if (rows is not null)
                {
                    var status = context.RequestAborted.IsCancellationRequested ? ClientClosedRequest : failedWith ?? context.Response.StatusCode;
                    log.Request(context.Request.Method, context.Request.Path.Value ?? "", status, rows.Count,
                        Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 3));
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
