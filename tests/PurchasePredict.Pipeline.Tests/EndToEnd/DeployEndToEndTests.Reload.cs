using System.Text.Json.Nodes;

namespace PurchasePredict.Pipeline.Tests;

// Reload for real: a new model version registered in the sandbox's MLflow stand-in, the alias moved, and
// ./build.sh --target=Reload under probe loops; a model that does not parse; pinned versions and Rollback.
// Last in the fixture, in order; every test puts the alias back where the sandbox had it.
public sealed partial class DeployEndToEndTests
{
    private const string Model = SandboxAccess.Model;
    private const string Alias = SandboxAccess.Alias;
    private const string SandboxVersion = SandboxAccess.SandboxModelVersion;
    private static MlflowClient Mlflow => SandboxAccess.Mlflow;

    // The steeper model this part registers.
    private string _steeper = null!;

    [Test, Order(50)]
    public async Task Reload_AfterTheAliasMoves_SwitchesEveryVm_WithZeroFailedRequests()
    {
        Assert.That(Build("--target=DeployToVms", "--exclusive").ExitCode, Is.Zero, "back on the sandbox's own env file");
        Assert.That(await AliasVersion(), Is.EqualTo(SandboxVersion), "the fixture deployed the sandbox's own model");
        var before = await Probabilities(8081);
        // The same trees with a steeper sigmoid: the same labels (deploy.expectedAnswers passes), other probabilities.
        var text = File.ReadAllText(Path.Combine(_workspace.Folder, "models", "demo", "model.txt")).Replace("objective=binary sigmoid:1", "objective=binary sigmoid:3");
        _steeper = await RegisterModel(text);
        await Mlflow.SetAliasAsync(Model, Alias, _steeper);
        try
        {
            var dry = Build("--target=Reload", "--dryrun");
            var loads = Vms.Select(vm => new PredictLoop(vm.ServicePort, RequestBody, maxRequests: 30_000, maxTime: TimeSpan.FromMinutes(3))).ToList();
            await Task.Delay(500);
            var reload = Build("--target=Reload");
            await Task.Delay(500);
            foreach (var load in loads) await load.StopAsync();
            TestContext.Progress.WriteLine($"Reload under load: {string.Join("; ", loads)}, took {reload.Duration.TotalSeconds:F1} s");
            var status = Build("--target=Status");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(dry.ExitCode, Is.Zero, dry.ToString());
                Assert.That(dry.Output, Does.Contain($"would serve models:/{Model}@{Alias} (or stage {Alias}) -> version {_steeper} now"));
                Assert.That(reload.ExitCode, Is.Zero, reload.ToString());
                foreach (var (vm, load) in Vms.Zip(loads))
                {
                    var served = await ServedModel(vm.ServicePort);
                    Assert.That(((string?)served["registry"]?["version"], (string?)served["registry"]?["alias"]), Is.EqualTo((_steeper, Alias)), vm.Name);
                    Assert.That(await Probabilities(vm.ServicePort), Is.Not.EqualTo(before), vm.Name + " answers with the new model");
                    Assert.That(load.Failed, Is.Zero, $"{vm.Name}: {load}: {load.Failures}");
                    Assert.That(load.Answered, Is.GreaterThan(20), load.ToString());
                    Assert.That(OnVm(vm.SshPort, "cat \"$(ls -d /var/lib/purchase_predict_api/history/* | tail -n 1)/model.json\""),
                        Does.Contain($"\"sha256\":\"{(string?)served["sha256"]}\""), vm.Name + ": the history keeps the model");
                    Assert.That(status.Output, Does.Contain($"\"version\":\"{_steeper}\""), "Status shows the model");
                }
                Assert.That(Build("--target=Reload").Output, Does.Contain("  pp-vm2: already serves"), "a second Reload changes nothing");
            }
        }
        finally
        {
            await Mlflow.SetAliasAsync(Model, Alias, SandboxVersion);
        }
    }

    // The guard at the candidate: the VM never sends the signal, keeps serving its model; the second VM is not touched.
    [Test, Order(51)]
    public async Task Reload_OfAModelThatDoesNotParse_FailsOnTheFirstVm_WhichKeepsServing_AndLeavesTheSecondAlone()
    {
        var before = (await ServedModel(8081)).ToJsonString();
        var secondLoadedAt = (string?)(await ServedModel(8082))["loadedAt"];
        var broken = await RegisterModel("tree\nnot a LightGBM model\n");
        await Mlflow.SetAliasAsync(Model, Alias, broken);
        try
        {
            var load = new PredictLoop(8081, RequestBody, maxRequests: 30_000, maxTime: TimeSpan.FromMinutes(3));
            await Task.Delay(500);
            var reload = Build("--target=Reload");
            await load.StopAsync();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(reload.ExitCode, Is.Not.Zero);
                Assert.That(reload.Output, Does.Contain("Reload stopped at pp-vm1"));
                Assert.That(reload.Output, Does.Contain("not a LightGBM text model"), "the candidate's log says why");
                Assert.That(reload.Output, Does.Contain("  pp-vm2: not touched"));
                Assert.That((await ServedModel(8081)).ToJsonString(), Is.EqualTo(before), "pp-vm1 serves the model it served");
                Assert.That((string?)(await ServedModel(8082))["loadedAt"], Is.EqualTo(secondLoadedAt), "pp-vm2 loaded nothing");
                Assert.That(load.Failed, Is.Zero, $"{load}: {load.Failures}");
                Assert.That(Leftovers(2201), Is.Empty);
            }
        }
        finally
        {
            await Mlflow.SetAliasAsync(Model, Alias, SandboxVersion);
        }
    }

    // Pinned: a Deploy of MODEL_URI=models:/<name>/<version> is reproducible; the alias moving changes nothing on
    // Reload, and Rollback (after that Reload) brings back the model the earlier release pinned.
    [Test, Order(52)]
    public async Task PinnedVersion_SurvivesAnAliasMove_AndRollbackAfterAReloadBringsBackTheEarlierPinnedModel()
    {
        string Pinned(string version) =>
            $$"""{"MLFLOW_SERVER": "http://mlflow.sandbox.internal:5050", "MODEL_URI": "models:/{{Model}}/{{version}}", "STORAGE_ENDPOINT": "http://127.0.0.1:9199", "WORKERS": "2"}""";
        try
        {
            Assert.That(Build("--target=DeployToVms", "--exclusive", "--deploy-env=" + Pinned(SandboxVersion)).ExitCode, Is.Zero);
            var deploy = Build("--target=DeployToVms", "--exclusive", "--deploy-env=" + Pinned(_steeper));
            Assert.That(deploy.ExitCode, Is.Zero, deploy.ToString());
            await Mlflow.SetAliasAsync(Model, Alias, _steeper);
            await Mlflow.SetAliasAsync(Model, Alias, SandboxVersion);
            var reload = Build("--target=Reload");
            var afterReload = await Task.WhenAll(Vms.Select(vm => ServedModel(vm.ServicePort)));
            var rollback = Build("--target=Rollback");
            var afterRollback = await Task.WhenAll(Vms.Select(vm => ServedModel(vm.ServicePort)));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(reload.ExitCode, Is.Zero, reload.ToString());
                Assert.That(afterReload.Select(m => (string?)m["registry"]?["version"]), Is.All.EqualTo(_steeper), "the pin holds");
                Assert.That(reload.Output, Does.Contain("  pp-vm1: already serves"));
                Assert.That(rollback.ExitCode, Is.Zero, rollback.ToString());
                Assert.That(afterRollback.Select(m => (string?)m["registry"]?["version"]), Is.All.EqualTo(SandboxVersion), "the earlier pinned model is back");
                Assert.That(rollback.Output, Does.Not.Contain("not the model"), "a pinned source brings its model back: no warning");
            }
        }
        finally
        {
            await Mlflow.SetAliasAsync(Model, Alias, SandboxVersion);
            Assert.That(Build("--target=DeployToVms", "--exclusive").ExitCode, Is.Zero, "back on the sandbox's own env file");
        }
    }

    private static async Task<string> AliasVersion()
    {
        var (_, answer) = await Mlflow.GetAsync($"api/2.0/mlflow/registered-models/alias?name={Model}&alias={Alias}");
        return (string?)answer["model_version"]?["version"] ?? throw new InvalidOperationException($"the sandbox's MLflow has no {Model}@{Alias}: {answer.ToJsonString()}");
    }

    // A new version whose model file is a proxied artifact of the stand-in, which the VMs download through MLflow.
    private static async Task<string> RegisterModel(string text)
    {
        var folder = $"e2e-reload/{Guid.NewGuid():N}/model";
        await Mlflow.UploadArtifactAsync(folder + "/model.lgb", System.Text.Encoding.UTF8.GetBytes(text));
        return await Mlflow.RegisterAsync(Model, "mlflow-artifacts:/" + folder);
    }

    private static async Task<JsonNode> ServedModel(int port) =>
        JsonNode.Parse(await Http.GetStringAsync($"http://127.0.0.1:{port}/model"))!;

    private async Task<string> Probabilities(int port)
    {
        using var content = new StringContent(RequestBody, System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync($"http://127.0.0.1:{port}/predict?proba=true", content);
        return await response.Content.ReadAsStringAsync();
    }
}
