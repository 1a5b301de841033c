namespace PurchasePredict.Pipeline.Tests;

// Bad input stops ./build.sh in Setup, before any task: a clear message naming the setting and its
// source, no command run, nothing cloned, built or pushed.
[Category("EndToEnd")]
[NonParallelizable]
public class FailFastEndToEndTests
{
    private PipelineWorkspace _workspace = null!;

    [OneTimeSetUp]
    public void CreateWorkspace()
    {
        _workspace = PipelineWorkspace.CopyOfRepository();
        // An environment file that lacks a required setting.
        var sandbox = File.ReadAllText(Path.Combine(_workspace.Folder, "ops", "environments", "sandbox.json"));
        File.WriteAllText(Path.Combine(_workspace.Folder, "ops", "environments", "e2e-missing.json"),
            System.Text.RegularExpressions.Regex.Replace(sandbox, "\"project\": \"[^\"]*\",", ""));
        // And one with a mistyped key.
        File.WriteAllText(Path.Combine(_workspace.Folder, "ops", "environments", "e2e-typo.json"), sandbox.Replace("\"sshUser\"", "\"sshUsr\""));
        // Cake compiles the script once per checkout (then its cache serves): the fail-fast runs below
        // time Setup, not that first compilation.
        var warmUp = _workspace.Run(null, "--help");
        Assert.That(warmUp.ExitCode, Is.Zero, warmUp.ToString());
    }

    [OneTimeTearDown]
    public void DeleteWorkspace() => _workspace?.Dispose();

    [TestCase("--project=Bad_Project", "Setting 'project' = 'Bad_Project' (from argument --project): a GCP project id is")]
    [TestCase("--branch=no-such-branch", "Setting 'branch' = 'no-such-branch' (from argument --branch): there is no branch 'no-such-branch'")]
    [TestCase("--repo=file:///nonexistent/repository", "Setting 'repo' = 'file:///nonexistent/repository' (from argument --repo): git cannot read")]
    [TestCase("--env=e2e-missing", "Setting 'project' is missing: set it in")]
    [TestCase("--registry=docker.io", "Setting 'registry' = 'docker.io' (from argument --registry)")]
    [TestCase("--brnach=x", "Unknown argument --brnach (did you mean '--branch'?)")]
    [TestCase("--secret-file=ops/secrets/x.env", "Unknown argument --secret-file (did you mean '--secrets-file'?)")]
    [TestCase("--env=e2e-typo", "e2e-typo.json: unknown key 'deploy.sshUsr' (did you mean 'deploy.sshUser'?)")]
    public void BadInput_FailsInSetupWithClearMessageAndNoSideEffect(string argument, string message)
    {
        var run = _workspace.Run(null, "--target=Push", argument);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Not.Zero);
            Assert.That(run.Output, Does.Contain(message), run.ToString());
            Assert.That(run.Output, Does.Not.Contain("> "), "no command ran");
            Assert.That(Directory.Exists(Path.Combine(_workspace.Artifacts, "clone")), Is.False);
            Assert.That(File.Exists(Path.Combine(_workspace.Artifacts, "image.json")), Is.False);
            Assert.That(run.Duration, Is.LessThan(TimeSpan.FromSeconds(60)));
        }
    }

    [Test]
    public void BadProjectFromEnvironmentVariable_NamesTheVariable()
    {
        var run = _workspace.Run(new Dictionary<string, string> { ["PP_PROJECT"] = "x" }, "--target=Push");
        Assert.That(run.Output, Does.Contain("Setting 'project' = 'x' (from environment variable PP_PROJECT)"), run.ToString());
    }

    [Test]
    public void DryRun_PrintsThePlanWithCommandsAndRunsNothing()
    {
        // --force as a bare flag too: a Cake argument without a value.
        var run = _workspace.Run(null, "--target=Push", "--dryrun", "--force");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output, Does.Contain($"[dry run] git clone --quiet --single-branch -- {_workspace.Folder} {Path.Combine(_workspace.Artifacts, "clone")}"));
            Assert.That(run.Output, Does.Contain("[dry run] dotnet test"));
            Assert.That(run.Output, Does.Contain("[dry run] dotnet publish"));
            Assert.That(run.Output, Does.Contain("[dry run] assemble the image of"));
            Assert.That(run.Output, Does.Contain("[dry run] skopeo login --authfile "));
            Assert.That(run.Output, Does.Contain($"oci:{Path.Combine(_workspace.Artifacts, "image")} docker://127.0.0.1:5000/purchase-predict-sandbox/purchase_predict_api:"));
            Assert.That(run.Output, Does.Not.Contain("purchase_predict_api:sandbox"), "Push never moves the environment's tag");
            Assert.That(Directory.Exists(Path.Combine(_workspace.Artifacts, "clone")), Is.False);
        }
    }

    [Test]
    public void Help_ListsThisPipelinesTargetsAndSettings()
    {
        var run = _workspace.Run(null, "--help");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output, Does.Contain("  DeployToVms      Rolls the pushed image out to every VM"));
            Assert.That(run.Output, Does.Contain("deploy.secretsFile").And.Contain("--secrets-file").And.Contain("PP_SECRETS_FILE"));
            Assert.That(run.Output, Does.Not.Contain("\n> "), "help runs nothing");
        }
    }

    // The issue's own command: GCP's environment, planned on this machine. The plan deploys what this
    // run would push (not a stale image.json), marks what a real run skips, and connects to nothing but
    // 127.0.0.1 and local sockets: strace sees every connect() of every process, name lookups included.
    [Test]
    public void DryRun_OfStagingsDeploy_PlansEverythingAndConnectsOnlyToThisMachine()
    {
        var stale = "sha256:" + new string('5', 64);
        Directory.CreateDirectory(_workspace.Artifacts);
        File.WriteAllText(Path.Combine(_workspace.Artifacts, "image.json"),
            new PushedImage("europe-west1-docker.pkg.dev/my-gcp-project/purchase-predict/purchase_predict_api", stale, new string('5', 40), "staging", "staging", null, null).ToJson());
        var trace = Path.Combine(_workspace.Folder, "connects.txt");
        try
        {
            var run = _workspace.Start("strace", ["-f", "-qq", "-e", "trace=connect", "-o", trace,
                "./build.sh", "--target=Deploy", "--env=staging", "--dryrun", "--repo=.", "--branch=HEAD"]);
            var connects = File.ReadAllLines(trace).Where(l => l.Contains("connect(")).ToList();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(run.ExitCode, Is.Zero, run.ToString());
                Assert.That(run.Output, Does.Contain("--tls-verify=true --username oauth2accesstoken --password-stdin europe-west1-docker.pkg.dev"));
                Assert.That(run.Output, Does.Contain("-- SandboxVms: a real run skips it: the environment has no sandbox VMs"));
                // Through the run's shared connection, whose directory a dry run only names (SshConnections).
                Assert.That(run.Output, Does.Contain("[dry run] ssh -o BatchMode=yes -o ConnectTimeout=10 -p 22 -o ControlMaster=auto " +
                    $"-o ControlPath={Path.GetTempPath()}pp-ssh-XXXXXX/%C -o ControlPersist=30 docker.europe-west1-b.c.my-gcp-project.internal 'sudo -n -- true'"));
                Assert.That(run.Output, Does.Contain("purchase_predict_api@<digest of the assembled image>"));
                Assert.That(run.Output, Does.Not.Contain(stale), "the plan deploys what this run would push");
                Assert.That(run.Output.IndexOf("docker://europe-west1-docker.pkg.dev/my-gcp-project/purchase-predict/purchase_predict_api:staging", StringComparison.Ordinal),
                    Is.GreaterThan(run.Output.IndexOf("< history-record.sh", StringComparison.Ordinal)), "the environment's tag moves after the rollout");
                Assert.That(connects, Has.Some.Contains("sun_path="), "strace saw the docker socket: it traced");
                Assert.That(connects.Where(l => !l.Contains("AF_UNIX") && !l.Contains("127.0.0.1") && !l.Contains("::1") && !l.Contains("AF_UNSPEC")),
                    Is.Empty, "a dry run connects to nothing but this machine, and resolves no name");
            }
        }
        finally
        {
            File.Delete(Path.Combine(_workspace.Artifacts, "image.json"));
        }
    }

    // A host name reaches the unit (a newline there injected [Service] lines that ran as root), a local
    // folder and messages: one that is not a DNS label stops the run in Setup, before any VM is contacted
    // (strace sees no connection to a VM's ssh port).
    [TestCase("argument", "pp-vm1\\n[Service]\\nExecStartPre=/usr/bin/touch /tmp/pwned-unit-inject")]
    [TestCase("variable", "pp-vm1\\n[Service]")]
    [TestCase("argument", "../pp-vm1")]
    [TestCase("variable", "vms/pp-vm1")]
    public void HostNameThatIsNoDnsLabel_FailsInSetup_AndNoVmIsContacted(string source, string name)
    {
        var hosts = $$"""[{"name": "{{name}}", "address": "127.0.0.1", "sshPort": 2201, "servicePort": 8081}]""";
        var trace = Path.Combine(_workspace.Folder, "connects-hosts.txt");
        var run = _workspace.Start("strace", ["-f", "-qq", "-e", "trace=connect", "-o", trace, "./build.sh", "--target=DeployToVms", "--exclusive",
            .. source == "argument" ? new[] { "--hosts=" + hosts } : []], source == "variable" ? new Dictionary<string, string> { ["PP_HOSTS"] = hosts } : null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Not.Zero);
            Assert.That(run.Output, Does.Contain("Setting 'deploy.hosts' = '").And.Contain(source == "argument" ? "(from argument --hosts)" : "(from environment variable PP_HOSTS)"));
            Assert.That(run.Output, Does.Contain("hosts[0].name ").And.Contain("is not a DNS label"));
            Assert.That(run.Output, Does.Not.Contain("> "), "no command ran");
            Assert.That(File.ReadAllLines(trace).Where(l => l.Contains("htons(2201)")), Is.Empty, "no connection to the VM's ssh port");
        }
    }

    // --dryrun is right for every environment and target: each plan ends with exit 0 and says what it would do.
    [TestCase("sandbox", "Deploy", "< deploy-lock.sh")]
    [TestCase("sandbox", "Rollback", "< stage-from-history.sh")]
    [TestCase("sandbox", "Status", "< status.sh")]
    [TestCase("staging", "Rollback", "< stage-from-history.sh")]
    [TestCase("staging", "Status", "< status.sh")]
    public void DryRun_OfEachTarget_PlansIt(string environment, string target, string planned)
    {
        var run = _workspace.Run(null, "--target=" + target, "--env=" + environment, "--dryrun", "--repo=.", "--branch=HEAD");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output, Does.Contain(planned));
            Assert.That(run.Output, Does.Not.Contain("\n> "), "a dry run runs no command");
        }
    }

    // SandboxDown, from any checkout, removes the machine's sandbox: the VMs and the sandbox's home too.
    [Test]
    public void DryRun_OfSandboxDown_RemovesTheMachinesSandbox()
    {
        var run = _workspace.Run(null, "--target=SandboxDown", "--dryrun");
        var home = new BuildPaths(_workspace.Folder, System.Environment.GetEnvironmentVariable).SandboxHome;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output, Does.Contain("[dry run] docker rm --force --volumes pp-vm1").And.Contain("[dry run] docker rm --force --volumes pp-vm2"));
            Assert.That(run.Output, Does.Contain($"[dry run] delete {home}\n"));
        }
    }

    // The CI definitions users copy: they parse as YAML, and each ./build.sh line in them is accepted by
    // the pipeline as it stands (a dry run of it, their variables given sample values, no network).
    [TestCase(".github/workflows/deploy.yml")]
    [TestCase("cloudbuild.yaml")]
    public void CiDefinition_ParsesAndEveryBuildLineIsAccepted(string file)
    {
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(_workspace.Folder, file))));
        var lines = Scalars(yaml.Documents.Single().RootNode)
            .SelectMany(text => text.Split('\n'))
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("./build.sh ", StringComparison.Ordinal))
            .ToList();
        Assert.That(lines, Is.Not.Empty);
        foreach (var line in lines)
        {
            var arguments = Words(line).Skip(1).Select(Sample).Append("--dryrun").ToArray();
            var run = _workspace.Run(null, arguments);
            Assert.That(run.ExitCode, Is.Zero, $"{line}\n{run}");
        }
    }

    private static IEnumerable<string> Scalars(YamlDotNet.RepresentationModel.YamlNode node) => node switch
    {
        YamlDotNet.RepresentationModel.YamlScalarNode scalar => [scalar.Value ?? ""],
        YamlDotNet.RepresentationModel.YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        YamlDotNet.RepresentationModel.YamlMappingNode mapping => mapping.Children.Values.SelectMany(Scalars),
        _ => [],
    };

    // A shell line's words, double quotes removed (the definitions quote only variables).
    private static IEnumerable<string> Words(string line) => line.Replace("\"", "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // The CI systems' variables, with values a user would have.
    private string Sample(string argument) => argument
        .Replace("$RUNNER_TEMP/ssh_key", Path.Combine(_workspace.Folder, "ci-ssh-key"))
        .Replace("/root/ssh_key", Path.Combine(_workspace.Folder, "ci-ssh-key"))
        .Replace("/workspace/mirror.git", _workspace.Folder)
        .Replace("$BRANCH_NAME", "staging")
        .Replace("$PROJECT_ID", "my-gcp-project");
}
