using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PurchasePredict.Api.Tests.Http;

/// <summary>The request log line says what the client got.</summary>
public class RequestLogTests
{
    [Test]
    public async Task UnhandledException_IsLoggedAs500_AsTheClientGetsIt()
    {
        var logs = new CapturedLogs();
        await using var server = await ApiServer.StartAsync(new Dictionary<string, string> { ["MODEL_URI"] = Repo.DemoModel }, logs: logs,
            map: app => app.MapGet("/fails", string () => throw new InvalidOperationException("a bug")));
        using var response = await server.Http.GetAsync("fails");
        var line = await Eventually(() => logs.Entries.SingleOrDefault(e => e.EventId == 2 && (string?)e.State["Path"] == "/fails"));
        Assert.That((response.StatusCode, line.State["Status"]), Is.EqualTo((HttpStatusCode.InternalServerError, (object?)500)));
    }

    private static async Task<T> Eventually<T>(Func<T?> find) where T : class
    {
        for (var i = 0; i < 200; i++)
        {
            if (find() is { } found) return found;
            await Task.Delay(25);
        }
        throw new TimeoutException("no such log entry");
    }
}
