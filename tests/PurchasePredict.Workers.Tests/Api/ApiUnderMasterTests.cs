using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests.Api;

/// <summary>The real API (purchase_predict_api) under its master, with the demo model.</summary>
[NonParallelizable]
public class ApiUnderMasterTests
{
    private static string DemoModel => Path.Combine(HostProcess.DemoModelDir, "model.txt");

    private static HttpRequestSpec PredictProbabilities => new("POST", "/predict?proba=true",
        File.ReadAllBytes(Path.Combine(HostProcess.DemoModelDir, "request.json")));

    [Test]
    public async Task Sighup_AfterModelFileChanged_AnswersFromTheNewModelWithoutFailedRequest()
    {
        using var modelFile = new TempFile();
        var model = modelFile.Path;
        File.Copy(DemoModel, model, overwrite: true);
        await using var host = HostProcess.Start(HostProcess.ApiDll, new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            ["MODEL_URI"] = model,
        });
        await host.WaitUntilServing(workers: 2);
        var oldPids = host.StartedWorkerPids();
        await using var clients = new ClientLoop(host.BaseAddress, PredictProbabilities, concurrency: 4, newConnectionPerRequest: false);
        await clients.WaitForSuccesses(200, TimeSpan.FromSeconds(20));

        // Same trees, steeper sigmoid: another valid model, with other probabilities for the same rows.
        await File.WriteAllTextAsync(model, (await File.ReadAllTextAsync(DemoModel)).Replace("objective=binary sigmoid:1", "objective=binary sigmoid:3"));
        var reloadedOnClientClock = clients.Now;
        host.Signal(Posix.SIGHUP);
        await host.WaitForEvents("worker_reloaded", 2);
        await host.WaitForEvents("worker_exited", 2, e => oldPids.Contains(e.Pid()));
        var drainedOnClientClock = clients.Now;
        await clients.WaitForSuccesses(200, TimeSpan.FromSeconds(20));
        var outcomes = await clients.StopAsync();

        var failures = outcomes.Where(o => !o.Ok).ToList();
        var before = outcomes.Where(o => o.Finished < reloadedOnClientClock).Select(o => o.Detail).Distinct().ToList();
        var after = outcomes.Where(o => o.Started > drainedOnClientClock).Select(o => o.Detail).Distinct().ToList();
        await TestContext.Out.WriteLineAsync($"requests {outcomes.Count}, failed {failures.Count}\nbefore: {before[0]}\nafter: {after[0]}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Is.Empty, ClientLoop.Describe(failures));
            Assert.That(before, Has.Count.EqualTo(1), "one answer from the first model");
            Assert.That(after, Has.Count.EqualTo(1), "one answer from the reloaded model");
            Assert.That(after[0], Is.Not.EqualTo(before[0]), "the reloaded workers answer from the new model");
        }
    }

    [Test]
    public async Task UnloadableModel_MasterGivesUpWithTheApisExitCodeAndReason()
    {
        using var modelFile = new TempFile();
        var model = modelFile.Path;
        await File.WriteAllTextAsync(model, "this is not a model\n");
        await using var host = HostProcess.Start(HostProcess.ApiDll, new Dictionary<string, string>
        {
            ["WORKERS"] = "2",
            ["MODEL_URI"] = model,
        });
        var exitCode = await host.WaitForExit(TimeSpan.FromSeconds(60));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(4), "the API's ExitCodes.ModelLoadFailed, passed on by the master");
            Assert.That(host.Stderr.Split('\n')[^1], Does.StartWith(
                $"master gave up: workers failed to boot {Master.BootBackoff.MaxAttempts} times in a row in every slot (slot 0: "));
            Assert.That(host.Stderr.Split('\n')[^1], Does.Contain("): purchase_predict_api: cannot load the model: "));
            Assert.That(host.Stderr.Split('\n')[^1], Does.Contain("not a LightGBM text model"));
            Assert.That(host.Events("worker_ready"), Is.Empty);
        }
    }
}
