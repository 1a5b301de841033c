using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Processes;

/// <summary>
/// SIGHUP with WORKERS=1 (no master): the process reloads its model in place; under a master, every slot gets a
/// worker that read the model again, and GET /model answers the new model's identity from each.
/// </summary>
public class ReloadTests
{
    [Test]
    public async Task Sighup_LoadsTheNewModel_AndKeepsServingTheOldOneWhenTheNewCannotLoad()
    {
        var model = Path.GetTempFileName();
        File.Copy(Repo.DemoModel, model, overwrite: true);
        try
        {
            await using var service = ServiceProcess.Start(new Dictionary<string, string> { ["MODEL_URI"] = model });
            await service.WaitUntilReadyAsync();
            var first = await Probabilities(service);

            // Same trees, steeper sigmoid: another valid model, with other probabilities for the same rows.
            await File.WriteAllTextAsync(model, (await File.ReadAllTextAsync(Repo.DemoModel)).Replace("objective=binary sigmoid:1", "objective=binary sigmoid:3"));
            await service.SignalAsync("HUP");
            await service.WaitForEventsAsync(eventId: 1, count: 2);
            var second = await Probabilities(service);

            await File.WriteAllTextAsync(model, "not a model\n");
            await service.SignalAsync("HUP");
            var logs = (await service.WaitForEventsAsync(eventId: 4, count: 1)).Select(l => JsonNode.Parse(l)!).ToList();
            var failed = logs.Single(l => (int?)l["EventId"] == 4);
            var third = await Probabilities(service);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(second, Is.Not.EqualTo(first), "the reloaded model answers");
                Assert.That(logs.Count(l => (int?)l["EventId"] == 1), Is.EqualTo(2), "a second 'model loaded' line");
                Assert.That((string?)failed["LogLevel"], Is.EqualTo("Error"));
                Assert.That((string?)failed["Message"], Does.StartWith($"model reload failed, still serving the model loaded from {model}: ").And.Contain("not a LightGBM text model"));
                Assert.That(third, Is.EqualTo(second), "a model that cannot load replaces nothing");
                Assert.That(service.HasExited, Is.False);
            }
        }
        finally
        {
            File.Delete(model);
        }
    }

    [Test]
    public async Task Sighup_UnderAMaster_EveryWorkerAnswersTheNewIdentity_AndTheLogLineCarriesIt()
    {
        var model = Path.GetTempFileName();
        File.Copy(Repo.DemoModel, model, overwrite: true);
        try
        {
            await using var service = ServiceProcess.Start(new Dictionary<string, string> { ["MODEL_URI"] = model, ["WORKERS"] = "2" });
            await service.WaitUntilReadyAsync();
            var first = await Sha256OverFreshConnections(service, 10);

            var steeper = (await File.ReadAllTextAsync(Repo.DemoModel)).Replace("objective=binary sigmoid:1", "objective=binary sigmoid:3");
            await File.WriteAllTextAsync(model, steeper);
            var newSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(steeper)));
            await service.SignalAsync("HUP");
            // The master's "all switched": both slots' new workers took over (docs/workers.md, "Lifecycle log").
            await WaitForLinesAsync(service, "\"Event\":\"worker_reloaded\"", 2);
            var second = await Sha256OverFreshConnections(service, 20);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(first, Is.EqualTo(new[] { Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Repo.DemoModel))) }));
                Assert.That(second, Is.EqualTo(new[] { newSha }), "every connection, whichever worker took it, gets the new model");
                Assert.That(service.Stdout.Count(l => l.Contains($"sha256 {newSha}", StringComparison.Ordinal)), Is.EqualTo(2), "one 'model loaded' line per new worker");
            }
        }
        finally
        {
            File.Delete(model);
        }
    }

    private static async Task WaitForLinesAsync(ServiceProcess service, string marker, int count)
    {
        for (var i = 0; i < 600 && service.Stdout.Count(l => l.Contains(marker, StringComparison.Ordinal)) < count; i++) await Task.Delay(25);
        Assert.That(service.Stdout.Count(l => l.Contains(marker, StringComparison.Ordinal)), Is.EqualTo(count), marker);
    }

    /// <summary>The distinct sha256 GET /model answers over that many new connections (the kernel spreads them over the workers).</summary>
    private static async Task<string[]> Sha256OverFreshConnections(ServiceProcess service, int connections)
    {
        var answers = new HashSet<string>();
        for (var i = 0; i < connections; i++)
        {
            using var http = new HttpClient { BaseAddress = service.Http.BaseAddress };
            answers.Add((string)JsonNode.Parse(await http.GetStringAsync("model"))!["sha256"]!);
        }
        return [.. answers];
    }

    private static async Task<string> Probabilities(ServiceProcess service)
    {
        using var response = await service.Http.PostAsync("predict?proba=true", Bodies.Json(File.ReadAllBytes(Repo.DemoRequest)));
        Assert.That(response.IsSuccessStatusCode, Is.True);
        return await response.Content.ReadAsStringAsync();
    }
}
