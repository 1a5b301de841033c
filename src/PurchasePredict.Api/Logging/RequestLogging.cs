using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PurchasePredict.Api.Logging;

/// <summary>Rows in the request's frame, set by the prediction endpoints for the request log line.</summary>
public sealed class RequestRows
{
    public int Count { get; set; }
}

/// <summary>One structured log line per request: method, path, status, rows, milliseconds.</summary>
public static class RequestLogging
{
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var log = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("PurchasePredict.Api.Requests");
        if (!log.IsEnabled(LogLevel.Information)) return app;
        return app.Use(async (context, next) =>
        {
            var start = Stopwatch.GetTimestamp();
            var rows = new RequestRows();
            context.Features.Set(rows);
            try
            {
                await next(context);
            }
            finally
            {
                log.Request(context.Request.Method, context.Request.Path.Value ?? "", context.Response.StatusCode, rows.Count,
                    Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 3));
            }
        });
    }

    public static void SetRows(HttpContext context, int rows)
    {
        if (context.Features.Get<RequestRows>() is { } feature) feature.Count = rows;
    }
}
