using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PurchasePredict.Api.Tests.Http;

/// <summary>The request log line says what the client got; the access log is off unless ACCESS_LOG=true, failures are always logged.</summary>
public class RequestLogTests
{
    [Test]
    public async Task UnhandledException_IsLoggedAs500_AsTheClientGetsIt_AtWarning()
    {
        var logs = new CapturedLogs();
        await using var server = await StartWithFailingRoute(logs);
        using var response = await server.Http.GetAsync("fails");
        var line = await Eventually(() => logs.Entries.SingleOrDefault(e => e.EventId == 2 && (string?)e.State["Path"] == "/fails"));
        Assert.That((response.StatusCode, line.State["Status"], line.Level), Is.EqualTo((HttpStatusCode.InternalServerError, (object?)500, LogLevel.Warning)));
    }

    [TestCase(null, new string[0])]
    [TestCase("false", new string[0])]
    [TestCase("true", new[] { "/health/live Information" })]
    public async Task AnsweredRequests_AreLoggedOnlyWithTheAccessLog(string? accessLog, string[] expected)
    {
        var logs = new CapturedLogs();
        await using var server = await StartWithFailingRoute(logs, accessLog);
        using (await server.Http.GetAsync("health/live"))
        using (await server.Http.GetAsync("fails"))
        {
        }
        // The failure's line is written after the answer's, so once it is there, the answer's would be too.
        await Eventually(() => logs.Entries.FirstOrDefault(e => e.EventId == 2 && (string?)e.State["Path"] == "/fails"));
        var answered = logs.Entries.Where(e => e.EventId == 2 && (string?)e.State["Path"] != "/fails").Select(e => $"{e.State["Path"]} {e.Level}");
        Assert.That(answered, Is.EqualTo(expected));
    }

    private static Task<ApiServer> StartWithFailingRoute(CapturedLogs logs, string? accessLog = null)
    {
        var environment = new Dictionary<string, string> { ["MODEL_URI"] = Repo.DemoModel };
        if (accessLog is not null) environment["ACCESS_LOG"] = accessLog;
        return ApiServer.StartAsync(environment, logs: logs, map: app => app.MapGet("/fails", string () => throw new InvalidOperationException("a bug")));
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
