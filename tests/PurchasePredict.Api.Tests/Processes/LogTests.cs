using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Processes;

/// <summary>What the service's own process writes when clients misbehave or a setting holds a credential.</summary>
public class LogTests
{
    private static Dictionary<string, string> DemoModel => new() { ["MODEL_URI"] = Repo.DemoModel };

    [Test]
    public async Task ClientsDroppingUploads_AreDebugLinesWithoutStackTraces_NeverErrors()
    {
        var environment = DemoModel;
        environment["ACCESS_LOG"] = "true";
        environment["Logging__LogLevel__PurchasePredict.Api.Requests"] = "Debug";
        await using var service = ServiceProcess.Start(environment);
        await service.WaitUntilReadyAsync();
        var uploads = 0;
        var cases = from path in new[] { "/predict", "/invocations" }
                    from chunked in new[] { false, true }
                    from reset in new[] { false, true }
                    select (path, chunked, reset);
        foreach (var (path, chunked, reset) in cases)
        {
            for (var i = 0; i < 5; i++, uploads++)
            {
                await DropUpload(service.Port, path, chunked, reset);
            }
        }
        // The service still answers, and has logged every dropped upload.
        using var after = await service.Http.PostAsync("predict", Bodies.Json(File.ReadAllBytes(Repo.DemoRequest)));
        var lines = await service.WaitForStdoutAsync(_ => false);
        var logs = lines.Select(line => JsonNode.Parse(line)!).ToList();
        var aborted = logs.Where(l => (int?)l["EventId"] == 3).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(after.IsSuccessStatusCode, Is.True);
            Assert.That(logs.Where(l => (string?)l["LogLevel"] is "Error" or "Warning" or "Critical").Select(l => l.ToJsonString()), Is.Empty);
            Assert.That(logs.Where(l => l["Exception"] is not null).Select(l => l.ToJsonString()), Is.Empty, "no stack traces");
            Assert.That(logs.Count(l => (int?)l["State"]?["Status"] == 499), Is.EqualTo(uploads), "each dropped upload is logged as 499");
            Assert.That(aborted.Select(l => (string?)l["LogLevel"]), Has.All.EqualTo("Debug"));
            Assert.That(service.Stderr, Is.Empty);
        }
    }

    [Test]
    public async Task BadSetting_HoldingCredentials_IsReportedWithoutThem()
    {
        var environment = DemoModel;
        environment["MLFLOW_SERVER"] = "ftp://alice:s3cr3t-P4ss@mlflow.invalid/";
        await using var service = ServiceProcess.Start(environment);
        Assert.That(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(ExitCodes.BadSettings));
        Assert.That(service.Stderr, Is.EqualTo(new[] { "purchase_predict_api: MLFLOW_SERVER='ftp://***@mlflow.invalid/' is not an http(s) URL" }));
    }

    [Test]
    public async Task SignedArtifactUrl_InALoadError_HasItsQueryRedacted()
    {
        await using var mlflow = await MlflowStandIn.StartAsync();
        await mlflow.Client.RegisterAsync("purchase", "https://storage.example/b/model?X-Goog-Credential=sa%40p&X-Goog-Signature=0badc0de", "Staging");
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["MODEL_URI"] = "models:/purchase/Staging",
            ["MLFLOW_SERVER"] = mlflow.Address.ToString(),
        });
        Assert.That(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(ExitCodes.ModelLoadFailed));
        var output = string.Join('\n', service.Stdout.Concat(service.Stderr));
        Assert.That(output, Does.Not.Contain("0badc0de").And.Not.Contain("sa%40p"));
        Assert.That(service.Stderr.Single(), Does.Contain("stored at 'https://storage.example/b/model?X-Goog-Credential=***&X-Goog-Signature=***'"));
    }

    /// <summary>Sends a request head and part of its body, then closes the connection (FIN) or resets it (RST).</summary>
    private static async Task DropUpload(int port, string path, bool chunked, bool reset)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var part = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("[{\"price\": 1}, ", 100)));
        var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                   (chunked ? "Transfer-Encoding: chunked\r\n\r\n" + $"{part.Length * 4:x}\r\n" : $"Content-Length: {part.Length * 4}\r\n\r\n");
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(part);
        await Task.Delay(50);
        if (reset) client.Client.LingerState = new LingerOption(true, 0);
        else client.Client.Shutdown(SocketShutdown.Send);
        client.Close();
    }
}
