using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Processes;

/// <summary>SIGHUP with WORKERS=1 (no master): the process reloads its model in place.</summary>
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

    private static async Task<string> Probabilities(ServiceProcess service)
    {
        using var response = await service.Http.PostAsync("predict?proba=true", Bodies.Json(File.ReadAllBytes(Repo.DemoRequest)));
        Assert.That(response.IsSuccessStatusCode, Is.True);
        return await response.Content.ReadAsStringAsync();
    }
}
