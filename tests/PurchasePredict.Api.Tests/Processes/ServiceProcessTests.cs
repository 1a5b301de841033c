using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Processes;

/// <summary>The service as docker and systemd run it: its own process, settings from the environment.</summary>
public class ServiceProcessTests
{
    private static Dictionary<string, string> DemoModel => new() { ["MODEL_URI"] = "file://" + Repo.DemoModel };

    [Test]
    public async Task DemoModel_ServesTheTutorialOnPortAndLogsJsonLines()
    {
        var environment = DemoModel;
        environment["ACCESS_LOG"] = "true";
        await using var service = ServiceProcess.Start(environment);
        await service.WaitUntilReadyAsync();
        using var response = await service.Http.PostAsync("predict", Bodies.Json(File.ReadAllBytes(Repo.DemoRequest)));
        var expected = JsonNode.Parse(File.ReadAllText(Repo.DemoExpected))!["predictions"]!.ToJsonString();
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(expected));

        var lines = await service.WaitForStdoutAsync(line => line.Contains("\"Path\":\"/predict\""));
        var logs = lines.Select(line => JsonNode.Parse(line)!).ToList(); // every stdout line is JSON
        var loaded = logs.Single(l => (int?)l["EventId"] == 1)["State"]!;
        var request = logs.Single(l => (string?)l["State"]?["Path"] == "/predict")["State"]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)loaded["Source"], Is.EqualTo(Repo.DemoModel));
            Assert.That((int?)loaded["Trees"], Is.GreaterThan(0));
            Assert.That((string?)loaded["FormatVersion"], Is.EqualTo("v4"));
            Assert.That((string?)request["Method"], Is.EqualTo("POST"));
            Assert.That((int?)request["Status"], Is.EqualTo(200));
            Assert.That((int?)request["Rows"], Is.EqualTo(10));
            Assert.That((double?)request["ElapsedMs"], Is.GreaterThan(0));
        }
    }

    // One log line per request: when whatever reads the service's stdout falls behind (docker's log chain and
    // journald on a busy VM; journald drops lines past its rate limit anyway), requests must not wait for it. With the
    // console logger's default (a full queue blocks the logging call), every request stalled once its 2,500 queued
    // lines and the 64 KiB pipe were full; the sandbox saw 0.3 to 1 s gaps between answers under load.
    [Test]
    public async Task StdoutNotRead_RequestsAreStillAnswered()
    {
        var environment = DemoModel;
        environment["ACCESS_LOG"] = "true";
        await using var service = ServiceProcess.Start(ServiceBuild.Test, environment, readStdout: false);
        await service.WaitUntilReadyAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var answered = 0;
        for (var i = 0; i < 6000; i++)
        {
            using var response = await service.Http.GetAsync("health/live", deadline.Token);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            answered++;
        }
        Assert.That(answered, Is.EqualTo(6000), "well past the logger's queue of 2,500 lines and the pipe's 64 KiB");
    }

    [Test]
    public async Task HealthcheckMode_ExitsZeroWhenReadyAndOneWhenNothingAnswers()
    {
        await using var service = ServiceProcess.Start(DemoModel);
        await service.WaitUntilReadyAsync();
        Assert.That(await RunHealthcheck(service.Port), Is.EqualTo(0));
        Assert.That(await RunHealthcheck(FreePort.Next()), Is.EqualTo(1));
    }

    [TestCase("MAX_ROWS", "many", "MAX_ROWS='many'")]
    [TestCase("PORT", "80000", "PORT='80000'")]
    [TestCase("MODEL_URI", "s3://bucket/model.txt", "unsupported scheme 's3'")]
    [TestCase("MODEL_URI", "models:/purchase@staging", "needs MLFLOW_SERVER")]
    [TestCase("MODEL_URI", "", "no model configured")]
    public async Task BadSetting_ExitsWith2AndOneLineOnStderr(string key, string value, string expected)
    {
        var environment = DemoModel;
        environment[key] = value;
        await using var service = ServiceProcess.Start(environment);
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.That(exitCode, Is.EqualTo(ExitCodes.BadSettings));
        Assert.That(service.Stderr, Has.Count.EqualTo(1).And.One.Contains(expected));
    }

    [TestCase("/nonexistent/model.txt", "/nonexistent/model.txt")]
    [TestCase("__NOT_A_MODEL__", "not a LightGBM text model")]
    public async Task UnloadableModel_ExitsWith4AndOneLineOnStderr(string modelUri, string expected)
    {
        var notAModel = Path.GetTempFileName();
        await File.WriteAllTextAsync(notAModel, "this is not a model\n");
        try
        {
            await using var service = ServiceProcess.Start(new Dictionary<string, string> { ["MODEL_URI"] = modelUri.Replace("__NOT_A_MODEL__", notAModel) });
            var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.That(exitCode, Is.EqualTo(ExitCodes.ModelLoadFailed));
            Assert.That(service.Stderr, Has.Count.EqualTo(1).And.One.StartsWith("purchase_predict_api: cannot load the model: ").And.One.Contains(expected));
        }
        finally
        {
            File.Delete(notAModel);
        }
    }

    [Test]
    public async Task ModelNamingAFeatureTwice_IsRefusedAtLoad_ExitsWith4AndOneLineOnStderr()
    {
        var model = Path.GetTempFileName();
        var text = await File.ReadAllTextAsync(Repo.DemoModel);
        await File.WriteAllTextAsync(model, text.Replace("feature_names=product_id brand price", "feature_names=product_id price price"));
        try
        {
            await using var service = ServiceProcess.Start(new Dictionary<string, string> { ["MODEL_URI"] = model });
            var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.That(exitCode, Is.EqualTo(ExitCodes.ModelLoadFailed));
            Assert.That(service.Stderr, Has.Count.EqualTo(1).And.One.Contains("feature_names: 'price' appears twice (features 1 and 2)"));
        }
        finally
        {
            File.Delete(model);
        }
    }

    [Test]
    public async Task PortTaken_ExitsWith3AndOneLineOnStderr()
    {
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var environment = DemoModel;
        environment["PORT"] = port.ToString();
        await using var service = ServiceProcess.Start(environment);
        Assert.That(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(ExitCodes.CannotListen));
        Assert.That(service.Stderr, Has.Count.EqualTo(1).And.One.StartsWith($"purchase_predict_api: cannot listen on port {port}: "));
    }

    private static async Task<int> RunHealthcheck(int port)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Repo.ServiceDll);
        start.ArgumentList.Add("--healthcheck");
        start.Environment["PORT"] = port.ToString();
        using var process = System.Diagnostics.Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
