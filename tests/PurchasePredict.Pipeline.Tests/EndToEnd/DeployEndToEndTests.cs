using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PurchasePredict.Pipeline.Tests;

// Deploy, Rollback and Status for real: ./build.sh against the sandbox's two VMs (containers booting
// systemd, sshd and their own Docker engine), in a throwaway copy of this repository. One Push and
// Deploy in OneTimeSetUp; the tests then run in order, each leaving a healthy release behind.
[TestFixture]
[Category("EndToEnd")]
[NonParallelizable]
public sealed class DeployEndToEndTests
{
    private static readonly (string Name, int SshPort, int ServicePort)[] Vms = [("pp-vm1", 2201, 8081), ("pp-vm2", 2202, 8082)];
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PipelineWorkspace _workspace = null!;
    private string _secret = null!;
    private string _secretsFile = null!;
    private string _commit = null!;
    private readonly List<PipelineRun> _runs = [];

    private string RequestBody => File.ReadAllText(Path.Combine(_workspace.Folder, "models", "demo", "request.json"));

    [OneTimeSetUp]
    public void DeployOnce()
    {
        _workspace = PipelineWorkspace.CopyOfRepository();
        // A secret only this run knows: it must reach the VMs' env files and appear in no output.
        _secret = "s3cret-" + Guid.NewGuid().ToString("N");
        _secretsFile = Path.Combine(_workspace.Folder, "ops", "secrets", "e2e.env");
        Directory.CreateDirectory(Path.GetDirectoryName(_secretsFile)!);
        File.WriteAllText(_secretsFile, $"PP_E2E_TOKEN={_secret}\n");
        // Push's Test step is Push's business (its own tests cover it); one quick project keeps this fixture short.
        // The pipeline's first real run in CI, as on a fresh machine: no artifacts/ (a new copy) and an
        // empty NuGet cache, so whatever the first run must restore, it restores here.
        var nuget = Directory.CreateTempSubdirectory("pipeline-nuget-").FullName;
        PipelineRun deploy;
        try
        {
            deploy = Build(new Dictionary<string, string> { ["NUGET_PACKAGES"] = nuget }, "--target=Deploy", "--tests=tests/PurchasePredict.LightGbm.Tests");
        }
        finally
        {
            new CommandRunner(_ => { }).DeleteDirectory(nuget);
        }
        Assert.That(deploy.ExitCode, Is.Zero, deploy.ToString());
        // The commit just cloned (artifacts/clone), which Push recorded and Deploy must run everywhere.
        _commit = RunLocal("git", "-C", Path.Combine(_workspace.Artifacts, "clone"), "rev-parse", "HEAD").Trim();
        Assert.That(JsonDocument.Parse(File.ReadAllText(Path.Combine(_workspace.Artifacts, "image.json"))).RootElement
            .GetProperty("commit").GetString(), Is.EqualTo(_commit));
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var run in _runs)
            {
                Assert.That(run.Output, Does.Not.Contain(_secret), "a secret leaked into the output of a run");
            }
        }
        _workspace?.Dispose();
    }

    [Test, Order(1)]
    public async Task Deploy_EveryVmAnswersPredict_FromTheCommitJustCloned()
    {
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(_workspace.Folder, "models", "demo", "expected.json")))
            .RootElement.GetProperty("predictions").GetRawText();
        foreach (var vm in Vms)
        {
            Assert.That(await Predict(vm.ServicePort), Is.EqualTo(expected.Replace(" ", "")), vm.Name);
            Assert.That(OnVm(vm.SshPort, "docker inspect --format '{{index .Config.Labels \"org.opencontainers.image.revision\"}}' purchase_predict_api").Trim(),
                Is.EqualTo(_commit), vm.Name);
        }
    }

    [Test, Order(2)]
    public void Deploy_EnvFileIsRootOnly_HoldsTheSecret_AndTheUnitPassesSystemdAnalyzeVerify()
    {
        foreach (var vm in Vms)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(OnVm(vm.SshPort, "stat --format '%U:%G %a' /etc/default/purchase_predict_api").Trim(), Is.EqualTo("root:root 600"));
                Assert.That(OnVm(vm.SshPort, "grep --count '^PP_E2E_TOKEN=' /etc/default/purchase_predict_api").Trim(), Is.EqualTo("1"));
                Assert.That(OnVm(vm.SshPort, "grep --quiet --fixed-strings \"$1\" /etc/default/purchase_predict_api && echo found", _secret).Trim(), Is.EqualTo("found"));
                var verify = OnVmResult(vm.SshPort, "systemd-analyze verify /etc/systemd/system/purchase_predict_api.service 2>&1");
                Assert.That(verify.ExitCode, Is.Zero, verify.StandardOutput);
                Assert.That(verify.StandardOutput, Does.Not.Contain("purchase_predict_api"), "systemd-analyze complained about the unit");
            }
        }
    }

    [Test, Order(3)]
    public void Status_ShowsStateImageCommitHealthAndLogsOfEveryVm()
    {
        var status = Build("--target=Status");
        Assert.That(status.ExitCode, Is.Zero, status.ToString());
        foreach (var vm in Vms)
        {
            var section = status.Output[status.Output.IndexOf("== " + vm.Name, StringComparison.Ordinal)..];
            using (Assert.EnterMultipleScope())
            {
                Assert.That(section, Does.Contain("unit:    active (running) since"));
                Assert.That(section, Does.Contain("commit:  " + _commit));
                Assert.That(section, Does.Contain("health:  GET / -> OK"));
                Assert.That(section, Does.Contain("last log lines:"));
            }
        }
    }

    [Test, Order(4)]
    public void Deploy_WhileAnotherDeployHoldsTheLock_FailsFastNamingTheHolder()
    {
        var before = History(2201);
        OnVm(2201, "mkdir -p /var/lib/purchase_predict_api/deploy.lock && echo 'other@ci pid 42 since 2026-01-01T00:00:00Z' > /var/lib/purchase_predict_api/deploy.lock/holder");
        try
        {
            var second = Build("--target=DeployToVms", "--exclusive");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(second.ExitCode, Is.Not.Zero);
                Assert.That(second.Output, Does.Contain("another deploy holds the lock: other@ci pid 42 since 2026-01-01T00:00:00Z"));
                Assert.That(second.Output, Does.Contain("Not touched: pp-vm2"));
                Assert.That(History(2201), Is.EqualTo(before));
            }
        }
        finally
        {
            OnVm(2201, "rm -rf /var/lib/purchase_predict_api/deploy.lock");
        }
    }

    [Test, Order(5)]
    public async Task Deploy_FailingHealthCheck_RollsBackAndThePreviousVersionStillAnswers()
    {
        var before = (History(2201), History(2202));
        var badEnv = """{"MODEL_URI": "gs://purchase-predict-sandbox/no/such/model.txt", "STORAGE_EMULATOR_HOST": "127.0.0.1:9199", "WORKERS": "2"}""";
        var failed = Build("--target=DeployToVms", "--exclusive", "--deploy-env=" + badEnv);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.ExitCode, Is.Not.Zero);
            Assert.That(failed.Output, Does.Contain("last 100 lines of the journal"));
            Assert.That(failed.Output, Does.Contain("Rolled back: the previous release (commit " + _commit));
            Assert.That(failed.Output, Does.Contain("Not touched: pp-vm2"));
            Assert.That((History(2201), History(2202)), Is.EqualTo(before));
            Assert.That(OnVm(2201, "grep '^MODEL_URI=' /etc/default/purchase_predict_api").Trim(), Does.Not.Contain("no/such"));
        }
        Assert.That(await Predict(8081), Does.StartWith("["));
    }

    [Test, Order(6)]
    public async Task Rollback_GoesToThePreviousRelease_AndVersionPicksOne()
    {
        // A second release without a second five-minute Push: the same program under a new label,
        // pushed to the sandbox registry, described in image.json as Push would.
        var imageJson = Path.Combine(_workspace.Artifacts, "image.json");
        var first = JsonDocument.Parse(File.ReadAllText(imageJson)).RootElement;
        var repository = first.GetProperty("repository").GetString()!;
        var firstDigest = first.GetProperty("digest").GetString()!;
        var secondCommit = new string('e', 40);
        var secondDigest = PushRelabelled(repository + "@" + firstDigest, repository + ":e2e-second", secondCommit);
        var original = File.ReadAllText(imageJson);
        File.WriteAllText(imageJson, JsonSerializer.Serialize(new { repository, digest = secondDigest, commit = secondCommit }));
        try
        {
            var second = Build("--target=DeployToVms", "--exclusive");
            Assert.That(second.ExitCode, Is.Zero, second.ToString());
            Assert.That(RunningImage(2202), Is.EqualTo(repository + "@" + secondDigest));

            var rollback = Build("--target=Rollback");
            Assert.That(rollback.ExitCode, Is.Zero, rollback.ToString());
            foreach (var vm in Vms)
            {
                Assert.That(RunningImage(vm.SshPort), Is.EqualTo(repository + "@" + firstDigest), vm.Name);
                Assert.That(await Predict(vm.ServicePort), Does.StartWith("["), vm.Name);
            }

            var forward = Build("--target=Rollback", "--rollback-version=" + secondCommit[..8]);
            Assert.That(forward.ExitCode, Is.Zero, forward.ToString());
            Assert.That(RunningImage(2201), Is.EqualTo(repository + "@" + secondDigest));
        }
        finally
        {
            File.WriteAllText(imageJson, original);
        }
        var back = Build("--target=Rollback", "--rollback-version=" + _commit[..8]);
        Assert.That(back.ExitCode, Is.Zero, back.ToString());
    }

    [Test, Order(7)]
    public async Task Reboot_ServiceComesBackByItself()
    {
        var startedBefore = ServiceStartedAt(2201);
        var vmStartedBefore = RunLocal("docker", "inspect", "--format", "{{.State.StartedAt}}", "pp-vm1").Trim();
        RunLocal("docker", "restart", "pp-vm1");
        Assert.That(RunLocal("docker", "inspect", "--format", "{{.State.StartedAt}}", "pp-vm1").Trim(), Is.Not.EqualTo(vmStartedBefore));
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string? answer = null;
        while (answer is null && DateTime.UtcNow < deadline)
        {
            try
            {
                answer = await Predict(8081);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(1000);
            }
        }
        Assert.That(answer, Does.StartWith("["), "no /predict answer within 120 s of the VM restart");
        Assert.That(ServiceStartedAt(2201), Is.Not.EqualTo(startedBefore), "the answer came from a container started before the reboot");
    }

    private string ServiceStartedAt(int sshPort) => OnVm(sshPort, "docker inspect --format '{{.State.StartedAt}}' purchase_predict_api").Trim();

    [Test, Order(8)]
    public void Deploy_UnreachableVm_FailsClearly_AndTouchesNoVm()
    {
        var before = History(2201);
        var hosts = """[{"name": "pp-vm1", "address": "127.0.0.1", "sshPort": 2201, "servicePort": 8081}, {"name": "ghost", "address": "127.0.0.1", "sshPort": 2299, "servicePort": 8089}]""";
        var run = Build("--target=DeployToVms", "--exclusive", "--hosts=" + hosts);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Not.Zero);
            Assert.That(run.Output, Does.Contain("ghost (deploy@127.0.0.1:2299): cannot connect over ssh"));
            Assert.That(run.Output, Does.Contain("No VM was changed"));
            Assert.That(History(2201), Is.EqualTo(before));
        }
    }

    // The figure docs/deploy.md reports: a client posting /predict to pp-vm1 in a loop (a new connection
    // per request, like the tutorial's requests.post) while a redeploy replaces the running container.
    [Test, Order(9)]
    public async Task Redeploy_UnderConstantLoad_ReportsFailedRequestsAndTheLongestGap()
    {
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        var body = RequestBody;
        using var stop = new CancellationTokenSource();
        var (ok, failed) = (0, 0);
        var longestGap = TimeSpan.Zero;
        var load = Task.Run(async () =>
        {
            var lastSuccess = System.Diagnostics.Stopwatch.StartNew();
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:8081/predict")
                    {
                        Content = new StringContent(body, Encoding.UTF8, "application/json"),
                    };
                    request.Headers.ConnectionClose = true;
                    using var response = await client.SendAsync(request);
                    if (!response.IsSuccessStatusCode) throw new HttpRequestException(response.StatusCode.ToString());
                    ok++;
                    if (lastSuccess.Elapsed > longestGap) longestGap = lastSuccess.Elapsed;
                    lastSuccess.Restart();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failed++;
                    await Task.Delay(10);
                }
            }
        });
        await Task.Delay(2000);
        var redeploy = Build("--target=DeployToVms", "--exclusive");
        await Task.Delay(2000);
        await stop.CancelAsync();
        await load;
        var figures = $"redeploy under load: {ok + failed} requests, {failed} failed, longest gap between answers {longestGap.TotalMilliseconds:F0} ms, deploy took {redeploy.Duration.TotalSeconds:F1} s";
        TestContext.Progress.WriteLine(figures);
        Directory.CreateDirectory(Path.Combine(RepositoryRoot.Find(), "artifacts"));
        File.WriteAllText(Path.Combine(RepositoryRoot.Find(), "artifacts", "redeploy-under-load.txt"), figures + "\n");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(redeploy.ExitCode, Is.Zero, redeploy.ToString());
            Assert.That(ok, Is.GreaterThan(100), figures);
        }
    }

    // The sandbox's state is the machine's: a second checkout finds the VMs as they are and makes none.
    [Test, Order(10)]
    public void SandboxVms_FromAnotherCheckout_KeepsTheVms()
    {
        var before = Vms.Select(vm => RunLocal("docker", "inspect", "--format", "{{.Id}}", vm.Name).Trim()).ToList();
        using var other = PipelineWorkspace.CopyOfRepository();
        var run = other.Run(null, "--target=SandboxVms");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output, Does.Contain("VM pp-vm1: running.").And.Contain("VM pp-vm2: running."));
            Assert.That(Vms.Select(vm => RunLocal("docker", "inspect", "--format", "{{.Id}}", vm.Name).Trim()), Is.EqualTo(before));
        }
    }

    private PipelineRun Build(params string[] arguments) => Build(null, arguments);

    private PipelineRun Build(IReadOnlyDictionary<string, string>? variables, params string[] arguments)
    {
        var run = _workspace.Run(variables, [.. arguments, "--secrets-file=" + _secretsFile]);
        _runs.Add(run);
        return run;
    }

    private static async Task<string> Predict(int port)
    {
        using var content = new StringContent(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "models", "demo", "request.json")), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Http.PostAsync($"http://127.0.0.1:{port}/predict", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return body;
    }

    private string History(int sshPort) => OnVm(sshPort, "ls -1 /var/lib/purchase_predict_api/history 2>/dev/null || true");

    private string RunningImage(int sshPort) => OnVm(sshPort, "docker inspect --format '{{.Config.Image}}' purchase_predict_api").Trim();

    // Runs a script as root on a VM, as Deploy does: ssh with the sandbox's key, then sudo.
    private string OnVm(int sshPort, string script, params string[] arguments)
    {
        var result = OnVmResult(sshPort, script, arguments);
        Assert.That(result.ExitCode, Is.Zero, $"{script}: {result.StandardError}");
        return result.StandardOutput;
    }

    private CommandResult OnVmResult(int sshPort, string script, params string[] arguments)
    {
        // The sandbox's own key and known_hosts, in its home: one per machine, whichever checkout made them.
        var ssh = new BuildPaths(_workspace.Folder, System.Environment.GetEnvironmentVariable).SandboxSsh;
        var target = new SshTarget("127.0.0.1", "deploy", sshPort, Path.Combine(ssh, "id_ed25519"), Path.Combine(ssh, "known_hosts"));
        // The test's own probes are one-liners: sh -c with the arguments positional, as a builder would make them.
        var probe = ShellCommand.Of("sh", ["-c", script, "sh", .. arguments]);
        return new CommandRunner(_ => { }).TryRun(Ssh.Run(target, Sudo.AsRoot("deploy", probe)), quiet: true, timeout: TimeSpan.FromMinutes(2));
    }

    private static string RunLocal(string program, params string[] arguments) =>
        new CommandRunner(_ => { }).Run(ShellCommand.Of(program, arguments.Cast<object>().ToArray()), quiet: true).StandardOutput;

    // Builds FROM the pushed image with one more label, pushes it, returns its digest.
    private string PushRelabelled(string from, string tag, string commit)
    {
        var context = Directory.CreateTempSubdirectory("relabel-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {from}\nLABEL org.opencontainers.image.revision={commit}\n");
            RunLocal("docker", "build", "--network", "host", "--quiet", "--tag", tag, context);
            RunLocal("docker", "push", "--quiet", tag);
            var digest = RunLocal("docker", "image", "inspect", "--format", "{{index .RepoDigests 0}}", tag).Trim();
            return digest[(digest.IndexOf('@') + 1)..];
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }
}
