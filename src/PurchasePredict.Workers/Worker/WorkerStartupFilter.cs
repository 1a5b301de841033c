using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace PurchasePredict.Workers.Worker;

/// <summary>
/// Runs in front of the app's own middleware: asks clients to close the connection while the worker drains,
/// and counts requests when MAX_REQUESTS (or the test hang) is set.
/// </summary>
internal sealed class WorkerStartupFilter(Drain drain, RequestBudget budget) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (drain.IsDraining)
                context.Response.Headers.Connection = "close";
            if (budget.IsActive && budget.OnRequest() is { } hang)
                await hang.ConfigureAwait(false);
            await nextMiddleware(context).ConfigureAwait(false);
        });
        next(app);
    };
}
