using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PurchasePredict.Workers.Metrics;

namespace PurchasePredict.Api.Metrics;

/// <summary>GET /metrics (Prometheus' text format, the whole service's view from any worker) and the request counting.</summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", Scrape);
        return app;
    }

    public static IResult Scrape([FromServices] MetricsSegment segment) =>
        TypedResults.Text(PrometheusText.Render(segment), PrometheusText.ContentType);

    /// <summary>Counts every request by route pattern and status, with its latency (measured inside the app).</summary>
    public static IApplicationBuilder UseRequestMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<ApiMetrics>();
        return app.Use(async (context, next) =>
        {
            var start = Stopwatch.GetTimestamp();
            var failed = false;
            try
            {
                await next(context);
            }
            catch
            {
                failed = true;
                throw;
            }
            finally
            {
                var status = context.RequestAborted.IsCancellationRequested ? Logging.RequestLogging.ClientClosedRequest
                    : failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError
                    : context.Response.StatusCode;
                metrics.Request(ApiMetrics.RouteOf(context), status, Stopwatch.GetElapsedTime(start));
            }
        });
    }
}
