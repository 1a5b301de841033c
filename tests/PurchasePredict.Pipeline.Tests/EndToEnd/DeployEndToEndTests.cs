using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PurchasePredict.Pipeline.Tests;

// Deploy, Rollback and Status for real: ./build.sh against the sandbox's two VMs (containers booting
// systemd, sshd and their own Docker engine), in a throwaway copy of this repository. One Push and
// Deploy in OneTimeSetUp; the tests (this file and its other parts, DeployEndToEndTests.*.cs) then run in
// order, each leaving both VMs on that first release, verified, unless it says otherwise.
[TestFixture]
[Category("EndToEnd")]
[NonParallelizable]
public sealed partial class DeployEndToEndTests
{
    private const string RegistryAddress = "127.0.0.1:5000";
    private static readonly (string Name, int SshPort, int ServicePort)[] Vms = [("pp-vm1", 2201, 8081), ("pp-vm2", 2202, 8082)];
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    // pp-vm1 alone, for the tests whose point one VM makes.
    private const string FirstVmOnly = """--hosts=[{"name": "pp-vm1", "address": "127.0.0.1", "sshPort": 2201, "servicePort": 8081, "metadataServer": "127.0.0.1:9181"}]""";

    // The sandbox's env values, as ops/environments/sandbox.json has them.
    // The sandbox's model straight from its private bucket, read as the VM's service account (the deploy adds
    // each VM's metadata server): what sandbox.json's MLflow variables resolve to, minus MLflow.
    // Env files written on the runner; the clone's template (artifacts/clone/ops/) is no rendered one.
    private string[] LocalEnvFiles() =>
        Directory.GetFiles(_workspace.Artifacts, "purchase_predict_api.env", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Path.Combine(_workspace.Artifacts, "clone") + "/", StringComparison.Ordinal)).ToArray();

    private const string SandboxEnv = """{"MODEL_URI": "gs://purchase-predict-sandbox/mlflow/1/5e1f0a9c2d7b4e3f8a6c1b2d3e4f5a6b/artifacts/model/model.lgb", "STORAGE_ENDPOINT": "http://127.0.0.1:9199", "WORKERS": "2"}""";

    // A registry project of its own: the environment's tag this fixture checks is nobody else's.
    private readonly string _project = "e2e-deploy-" + Guid.NewGuid().ToString("N")[..8];
    private PipelineWorkspace _workspace = null!;
    private RegistryClient _registry = null!;
    private string _secret = null!;
    private string _commit = null!;

    // What the first Deploy pushed: every test comes back to it.
    private PushedImage _first = null!;
    private readonly List<PushedImage> _made = [];
    private readonly List<PipelineRun> _runs = [];

    private string ImageJson => Path.Combine(_workspace.Artifacts, "image.json");

    private string RequestBody => File.ReadAllText(Path.Combine(_workspace.Folder, "models", "demo", "request.json"));

    [OneTimeSetUp]
    public async Task DeployOnce()
    {
        await SandboxAccess.PutModelAliasBackAsync();
        _registry = new RegistryClient(RegistryAddress, SandboxAccess.CiTokenAsync);
        _workspace = PipelineWorkspace.CopyOfRepository();
        // A secret only this run knows: it must reach the VMs' env files and appear in no output. The
        // environment file names the secrets file, so every run reads it without being told (Status too).
        _secret = "s3cret-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(Path.Combine(_workspace.Folder, "ops", "secrets", "e2e.env"), $"PP_E2E_TOKEN={_secret}\n");
        var settings = Path.Combine(_workspace.Folder, "ops", "environments", "sandbox.json");
        File.WriteAllText(settings, File.ReadAllText(settings)
            .Replace("\"project\": \"purchase-predict-sandbox\"", $"\"project\": \"{_project}\"")
            .Replace("\"secretsFile\": null", "\"secretsFile\": \"ops/secrets/e2e.env\""));
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
        _first = PushedImage.Read(ImageJson);
        _made.Add(_first);
        Assert.That(_first.Commit, Is.EqualTo(_commit));
    }

    [OneTimeTearDown]
    public async Task CleanUp()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var run in _runs)
            {
                Assert.That(run.Output, Does.Not.Contain(_secret), "a secret leaked into the output of a run");
            }
        }
        foreach (var image in _made)
        {
            await _registry.Delete($"{_project}/{ImageTarget.ImageName}", image.Digest);
        }
        new CommandRunner(_ => { }).TryRun(Docker.RemoveImages(_made.SelectMany(i => i.Tags ?? [])), quiet: true);
        _registry?.Dispose();
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
            Assert.That(RunningImage(vm.SshPort), Is.EqualTo(NewestVerifiedImage(vm.SshPort)), vm.Name + " runs the release it verified last");
        }
        Assert.That(SharedSshConnectionsLeft(), Is.Empty, "the run closed its ssh connections");
    }

    // Push leaves the environment's tag alone; Deploy moves it once every VM is verified.
    [Test, Order(2)]
    public async Task Deploy_MovesTheEnvironmentsTag_OnlyAfterEveryVmIsVerified()
    {
        Assert.That(await EnvironmentTag(), Is.EqualTo(_first.Digest));
        var setup = _runs[0].Output;
        Assert.That(setup.IndexOf("now names " + _first.Reference, StringComparison.Ordinal),
            Is.GreaterThan(setup.IndexOf("  pp-vm2: runs commit", StringComparison.Ordinal)).And.GreaterThan(0), setup);
    }

    [Test, Order(3)]
    public void Deploy_EnvFileIsRootOnly_HoldsTheSecret_TheUnitReadsNoneOfIt_AndPassesSystemdAnalyzeVerify()
    {
        foreach (var vm in Vms)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(OnVm(vm.SshPort, "stat --format '%U:%G %a' /etc/default/purchase_predict_api").Trim(), Is.EqualTo("root:root 600"));
                Assert.That(OnVm(vm.SshPort, "grep --count '^PP_E2E_TOKEN=' /etc/default/purchase_predict_api").Trim(), Is.EqualTo("1"));
                Assert.That(OnVm(vm.SshPort, "grep --quiet --fixed-strings \"$1\" /etc/default/purchase_predict_api && echo found", _secret).Trim(), Is.EqualTo("found"));
                Assert.That(OnVm(vm.SshPort, "grep --count '^EnvironmentFile=' /etc/systemd/system/purchase_predict_api.service || true").Trim(), Is.EqualTo("0"));
                var verify = OnVmResult(vm.SshPort, "systemd-analyze verify /etc/systemd/system/purchase_predict_api.service 2>&1");
                Assert.That(verify.ExitCode, Is.Zero, verify.StandardOutput);
                Assert.That(verify.StandardOutput, Does.Not.Contain("purchase_predict_api"), "systemd-analyze complained about the unit");
            }
        }
        Assert.That(LocalEnvFiles(), Is.Empty,
            "the env file is never written on the runner");
    }

    // The service prints the secret to its own output (the journal Status shows): Status reads the
    // secrets file from the settings, like Deploy, and shows *** instead.
    [Test, Order(4)]
    public void Status_ShowsStateImageCommitReadinessAndPredict_OfEveryVm_AndRedactsTheSecrets()
    {
        foreach (var vm in Vms)
        {
            OnVm(vm.SshPort, "docker exec purchase_predict_api /bin/sh -c 'echo \"e2e secret: $PP_E2E_TOKEN\" > /proc/1/fd/1'");
        }
        var status = Build("--target=Status");
        Assert.That(status.ExitCode, Is.Zero, status.ToString());
        foreach (var vm in Vms)
        {
            var section = status.Output[status.Output.IndexOf("== " + vm.Name, StringComparison.Ordinal)..];
            using (Assert.EnterMultipleScope())
            {
                Assert.That(section, Does.Contain("unit:    active (running) since"));
                Assert.That(section, Does.Contain("image:   " + _first.Reference));
                Assert.That(section, Does.Contain("commit:  " + _commit));
                Assert.That(section, Does.Contain("ready:   GET /health/ready -> Ready (200)"));
                Assert.That(section, Does.Match("predict: \\[[01](,[01])*\\]"));
                Assert.That(section, Does.Contain("e2e secret: ***"));
            }
        }
    }

    [Test, Order(5)]
    public void Deploy_NothingChanged_SkipsEveryVm_InUnder5SecondsEach()
    {
        var before = Vms.Select(vm => (History(vm.SshPort), ServiceStartedAt(vm.SshPort))).ToList();
        var run = Build("--target=DeployToVms", "--exclusive");
        var task = Regex.Match(run.Output, @"DeployToVms\s+(\d\d:\d\d:\d\d\.\d+)");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            foreach (var vm in Vms)
            {
                Assert.That(run.Output, Does.Contain($"{vm.Name} (deploy@127.0.0.1:{vm.SshPort}): already runs commit {_commit[..7]}"));
                Assert.That(run.Output, Does.Contain($"  {vm.Name}: already ran commit {_commit[..7]}"));
            }
            Assert.That(Vms.Select(vm => (History(vm.SshPort), ServiceStartedAt(vm.SshPort))), Is.EqualTo(before), "nothing restarted, nothing recorded");
            Assert.That(task.Success, Is.True, run.Output);
            Assert.That(TimeSpan.Parse(task.Groups[1].Value), Is.LessThan(TimeSpan.FromSeconds(5 * Vms.Length)), "DeployToVms in Cake's summary");
        }
        TestContext.Progress.WriteLine($"no-change DeployToVms for {Vms.Length} VMs: {task.Groups[1].Value} (Cake's task time), {run.Duration.TotalSeconds:F1} s in all");
    }

    [Test, Order(6)]
    public async Task Status_WithOneVmStopped_ExitsNonZero_NamingIt()
    {
        OnVm(2202, "systemctl stop purchase_predict_api");
        try
        {
            var status = Build("--target=Status");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(status.ExitCode, Is.Not.Zero, status.ToString());
                Assert.That(status.Output, Does.Contain("Status: pp-vm2 is not healthy"));
                Assert.That(status.Output, Does.Not.Contain("pp-vm1 is not healthy"));
                Assert.That(status.Output[status.Output.IndexOf("== pp-vm2", StringComparison.Ordinal)..], Does.Contain("unit:    inactive"));
            }
        }
        finally
        {
            OnVm(2202, "systemctl start purchase_predict_api");
        }
        Assert.That(await PredictWithin(8082, TimeSpan.FromSeconds(90)), Does.StartWith("["));
    }

    [Test, Order(40)]
    public async Task Reboot_ServiceComesBackByItself()
    {
        var startedBefore = ServiceStartedAt(2201);
        var vmStartedBefore = RunLocal("docker", "inspect", "--format", "{{.State.StartedAt}}", "pp-vm1").Trim();
        RunLocal("docker", "restart", "pp-vm1");
        Assert.That(RunLocal("docker", "inspect", "--format", "{{.State.StartedAt}}", "pp-vm1").Trim(), Is.Not.EqualTo(vmStartedBefore));
        Assert.That(await PredictWithin(8081, TimeSpan.FromSeconds(120)), Does.StartWith("["), "no /predict answer within 120 s of the VM restart");
        Assert.That(ServiceStartedAt(2201), Is.Not.EqualTo(startedBefore), "the answer came from a container started before the reboot");
    }

    [Test, Order(41)]
    public void Deploy_UnreachableVm_FailsClearly_AndTouchesNoVm()
    {
        var before = History(2201);
        var hosts = """[{"name": "pp-vm1", "address": "127.0.0.1", "sshPort": 2201, "servicePort": 8081, "metadataServer": "127.0.0.1:9181"}, {"name": "ghost", "address": "127.0.0.1", "sshPort": 2299, "servicePort": 8089}]""";
        var run = Build("--target=DeployToVms", "--exclusive", "--force=true", "--hosts=" + hosts);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Not.Zero);
            Assert.That(run.Output, Does.Contain("ghost (deploy@127.0.0.1:2299): cannot connect over ssh"));
            Assert.That(run.Output, Does.Contain("No VM was changed"));
            Assert.That(History(2201), Is.EqualTo(before));
            Assert.That(Leftovers(2201), Is.Empty);
        }
    }

    // The sandbox's state is the machine's: a second checkout finds the VMs as they are and makes none.
    [Test, Order(44)]
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
        var run = _workspace.Run(variables, arguments);
        _runs.Add(run);
        return run;
    }

    private BackgroundRun Launch(params string[] arguments) => _workspace.Launch(null, arguments);

    // A background run's output joins the others checked for the secret.
    private PipelineRun Finish(BackgroundRun run)
    {
        var result = run.WaitForExit(TimeSpan.FromMinutes(10));
        _runs.Add(result);
        return result;
    }

    // DeployToVms of another release: image.json says what to deploy, as after a Push of it.
    private PipelineRun DeployRelease(PushedImage image, params string[] arguments)
    {
        File.WriteAllText(ImageJson, image.ToJson());
        try
        {
            return Build(["--target=DeployToVms", "--exclusive", .. arguments]);
        }
        finally
        {
            File.WriteAllText(ImageJson, _first.ToJson());
        }
    }

    private async Task<string?> EnvironmentTag() => await _registry.DigestOf($"{_project}/{ImageTarget.ImageName}", "sandbox");

    private static async Task<string> Predict(int port)
    {
        using var content = new StringContent(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "models", "demo", "request.json")), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Http.PostAsync($"http://127.0.0.1:{port}/predict", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return body;
    }

    private static async Task<string?> PredictWithin(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                return await Predict(port);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(1000);
            }
        }
        return null;
    }

    private string History(int sshPort) => OnVm(sshPort, "ls -1 /var/lib/purchase_predict_api/history 2>/dev/null || true");

    private string RunningImage(int sshPort) => OnVm(sshPort, "docker inspect --format '{{.Config.Image}}' purchase_predict_api").Trim();

    // The image of the newest history entry: the release the VM verified last.
    private string NewestVerifiedImage(int sshPort) =>
        OnVm(sshPort, "cat \"$(ls -d /var/lib/purchase_predict_api/history/* | tail -n 1)/image\"").Trim();

    private string ServiceStartedAt(int sshPort) => OnVm(sshPort, "docker inspect --format '{{.State.StartedAt}}' purchase_predict_api").Trim();

    // What a deploy must never leave on a VM once it has ended: a lock, a candidate or handover container, a staging directory.
    private string Leftovers(int sshPort) => OnVm(sshPort, """
        ls -d /var/lib/purchase_predict_api/*.lock /tmp/purchase_predict_api.* 2>/dev/null
        docker ps --all --format '{{.Names}}' --filter name=purchase_predict_api_
        true
        """).Trim();

    // The ssh connections runs shared with the VMs (SshConnections) that are still open: a run closes its own as it ends.
    private static List<string> SharedSshConnectionsLeft() =>
        Directory.EnumerateDirectories("/proc")
            .Select(process =>
            {
                try { return File.ReadAllText(Path.Combine(process, "cmdline")).Replace('\0', ' '); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
            })
            // A shared connection's ssh names itself "ssh: <socket> [mux]"; the sockets are in the run's pp-ssh-* directory.
            .Where(command => command.StartsWith("ssh: ", StringComparison.Ordinal) && command.Contains("/pp-ssh-") && command.Contains("[mux]"))
            .ToList();

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
        // The test's own probes are short scripts: sh -c with the arguments positional, as a builder would make them.
        var probe = ShellCommand.Of("sh", ["-c", script, "sh", .. arguments]);
        return new CommandRunner(_ => { }).TryRun(Ssh.Run(target, Sudo.AsRoot("deploy", probe)), quiet: true, timeout: TimeSpan.FromMinutes(2));
    }

    private static string RunLocal(string program, params string[] arguments) =>
        new CommandRunner(_ => { }).Run(ShellCommand.Of(program, arguments.Cast<object>().ToArray()), quiet: true).StandardOutput;

    // Another release without another five-minute Push: the first release's image with another revision
    // label (and, given a script, another entrypoint), pushed to the registry, described as Push would.
    private PushedImage Release(string tag, string commit, string? entrypoint = null)
    {
        var context = Directory.CreateTempSubdirectory("release-").FullName;
        try
        {
            var dockerfile = $"FROM {_first.Reference}\nLABEL org.opencontainers.image.revision={commit}\n";
            if (entrypoint is not null)
            {
                dockerfile += "ENTRYPOINT " + JsonSerializer.Serialize(new[] { "/bin/sh", "-c", entrypoint, "sh" }) + "\n";
            }
            File.WriteAllText(Path.Combine(context, "Dockerfile"), dockerfile);
            var name = $"{_first.Repository}:{tag}";
            // Push leaves nothing in the local engine and the registry is private: docker pulls the base
            // and pushes the release logged in as the pipeline's account.
            var login = SandboxAccess.DockerLoginAsync(Path.Combine(_workspace.Folder, "docker-config")).GetAwaiter().GetResult();
            RunLocal("docker", "--config", login, "build", "--network", "host", "--quiet", "--tag", name, context);
            RunLocal("docker", "--config", login, "push", "--quiet", name);
            var digest = RunLocal("docker", "image", "inspect", "--format", "{{index .RepoDigests 0}}", name).Trim();
            var image = _first with { Digest = digest[(digest.IndexOf('@') + 1)..], Commit = commit, Tags = [name] };
            _made.Add(image);
            return image;
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }
}
