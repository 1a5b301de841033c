using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Tests.Http;

/// <summary>GET /model: what the served model is and where it came from.</summary>
public class ModelIdentityTests
{
    [Test]
    public async Task GetModel_AnswersTheLoadedModelsIdentity()
    {
        var before = DateTimeOffset.UtcNow;
        await using var server = await ApiServer.StartWithDemoModelAsync();
        using var response = await server.Http.GetAsync("model");
        var identity = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var model = LightGbmModel.Load(Repo.DemoModel);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That((string?)identity["source"], Is.EqualTo(Repo.DemoModel));
            Assert.That((string?)identity["location"], Is.EqualTo(Repo.DemoModel));
            Assert.That(identity["registry"], Is.Null);
            Assert.That(identity["generation"], Is.Null);
            Assert.That((string?)identity["sha256"], Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Repo.DemoModel)))));
            Assert.That((string?)identity["objective"], Is.EqualTo(model.Objective));
            Assert.That((int?)identity["trees"], Is.EqualTo(model.TreeCount));
            Assert.That((int?)identity["features"], Is.EqualTo(model.FeatureCount));
            Assert.That((DateTimeOffset?)identity["loadedAt"], Is.InRange(before, DateTimeOffset.UtcNow));
        }
    }

    [Test]
    public async Task GetModel_SourceWithCredentials_IsRedacted()
    {
        await using var mlflow = await MlflowStandIn.StartAsync();
        await mlflow.Client.RegisterAsync("purchase", "mlflow-artifacts:/1/run1/artifacts/model", "Staging");
        await mlflow.Client.UploadArtifactAsync("1/run1/artifacts/model/model.lgb", await File.ReadAllBytesAsync(Repo.DemoModel));
        var server = new UriBuilder(mlflow.Address) { UserName = "alice", Password = "hunter2" }.Uri;
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string>
        {
            ["MODEL_URI"] = "models:/purchase/1",
            ["MLFLOW_SERVER"] = server.ToString(),
        });
        var text = await api.Http.GetStringAsync("model");
        Assert.That(text, Does.Not.Contain("hunter2").And.Contain("\"version\":\"1\""));
    }

    [Test]
    public async Task GetModel_BeforeAnyModelLoads_Answers503()
    {
        // An MLflow server that is never reached: the registry lookup cannot finish before the request.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string>
        {
            ["MODEL_URI"] = "models:/purchase/1",
            ["MLFLOW_SERVER"] = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}",
        }, waitForModel: false);
        using var response = await api.Http.GetAsync("model");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }
}
