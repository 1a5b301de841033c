namespace PurchasePredict.Pipeline.Tests;

// Golden strings: every command line Deploy, Rollback and Status run on a VM (before ssh and sudo wrap
// them: SshTests and SudoTests pin those). A script of build/remote/ shows as `sh -s -- ARGS < name.sh`.
public class ServiceCommandsTests
{
    private static readonly ServiceCommands Commands = new(DeployTestData.Paths);

    private const string Holder = "ci@runner pid 7 since 2026-01-01T00:00:00Z (Deploy of sandbox)";

    private static IEnumerable<ShellCommand> Every() =>
    [
        ServiceCommands.Reachable(),
        Commands.Lock(ServiceLayout.RolloutLockDirectory, Holder, breakLock: false),
        Commands.Unlock(ServiceLayout.LockDirectory, Holder),
        Commands.CleanLeftovers(),
        Commands.History(),
        Commands.Record("/tmp/purchase_predict_api.abc", "20260101T000000Z-0123456789ab", 5),
        ServiceCommands.StagingDirectory(),
        ServiceCommands.ReceiveFile("/tmp/purchase_predict_api.abc/purchase_predict_api.env"),
        Commands.StageFromHistory("20260101T000000Z-0123456789ab"),
        ServiceCommands.RemoveStage("/tmp/purchase_predict_api.abc"),
        Commands.SameRelease("/tmp/purchase_predict_api.abc", 8081),
        Commands.Credentials("vm1", "127.0.0.1:5000/p/img@sha256:1", "127.0.0.1:9181", null),
        Commands.Credentials("vm1", "127.0.0.1:5000/p/img@sha256:1", null, "/etc/purchase_predict_api/key.json"),
        Commands.Pull("img@sha256:1"),
        Commands.KernelSettings(new DeployHost("vm1", "127.0.0.1", 2201, 8081)),
        Commands.StartCandidate("/tmp/purchase_predict_api.abc", "img@sha256:1", ContainerNetwork.Host, 8080, []),
        Commands.StartCandidate("/tmp/purchase_predict_api.abc", "img@sha256:1", ContainerNetwork.Publish, 8080, ["--memory", "288m", "--memory-swap", "288m"]),
        Commands.Probe(ServiceLayout.CandidateContainer, "img@sha256:1", "http://127.0.0.1:23456", "/tmp/purchase_predict_api.abc/request.json"),
        Commands.Probe(ServiceLayout.HandoverContainer, "img@sha256:1", null, ServiceLayout.RequestFile),
        Commands.Install("/tmp/purchase_predict_api.abc"),
        Commands.Remove(),
        ServiceCommands.Restart(),
        ServiceCommands.IsActive(),
        ServiceCommands.StartHandover("img@sha256:1", []),
        Commands.StopContainer("purchase_predict_api_handover", 10),
        Commands.ProbeService("img@sha256:1", 8081, 2, sharesPort: false),
        Commands.ProbeService("img@sha256:1", 8081, 2, sharesPort: true),
        Commands.Status(8081, 20),
        ServiceCommands.Journal(100),
        ServiceCommands.ContainerLogs("purchase_predict_api_candidate", 40),
        Commands.StartCandidateWith(ServiceLayout.EnvFile, "img@sha256:1", ContainerNetwork.Host, 8080, []),
        ServiceCommands.RunningImage(),
        Commands.ModelIdentity("http://127.0.0.1:8081"),
        Commands.ModelIdentity("http://127.0.0.1:8081", "/var/lib/purchase_predict_api/history/20260101T000000Z-0123456789ab"),
        Commands.SendReload(),
        Commands.ProbeReload("3", 8081, "ab12"),
    ];

    [Test]
    public void EveryCommand_RendersExactly() =>
        Assert.That(Every().Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "true",
            "sh -s -- /var/lib/purchase_predict_api/rollout.lock 'ci@runner pid 7 since 2026-01-01T00:00:00Z (Deploy of sandbox)' keep < deploy-lock.sh",
            "sh -s -- /var/lib/purchase_predict_api/deploy.lock 'ci@runner pid 7 since 2026-01-01T00:00:00Z (Deploy of sandbox)' release < deploy-lock.sh",
            "sh -s -- /tmp/purchase_predict_api. purchase_predict_api_candidate purchase_predict_api_handover < clean-leftovers.sh",
            "sh -s -- /var/lib/purchase_predict_api/history < history-list.sh",
            "sh -s -- /var/lib/purchase_predict_api/history /tmp/purchase_predict_api.abc 20260101T000000Z-0123456789ab 5 < history-record.sh",
            "mktemp -d /tmp/purchase_predict_api.XXXXXXXX",
            "dd of=/tmp/purchase_predict_api.abc/purchase_predict_api.env status=none",
            "sh -s -- /var/lib/purchase_predict_api/history/20260101T000000Z-0123456789ab < stage-from-history.sh",
            "rm -rf /tmp/purchase_predict_api.abc",
            "sh -s -- /tmp/purchase_predict_api.abc /etc/systemd/system/purchase_predict_api.service /etc/default/purchase_predict_api " +
                "purchase_predict_api.service purchase_predict_api /var/lib/purchase_predict_api/history http://127.0.0.1:8081 < same-release.sh",
            "sh -s -- vm1 127.0.0.1:5000/p/img@sha256:1 127.0.0.1:9181 '' 1654 < vm-credentials.sh",
            "sh -s -- vm1 127.0.0.1:5000/p/img@sha256:1 '' /etc/purchase_predict_api/key.json 1654 < vm-credentials.sh",
            "sh -s -- img@sha256:1 < pull-image.sh",
            "sh -s -- /etc/sysctl.d/60-purchase-predict-api.conf net.ipv4.tcp_migrate_req=1 < kernel-settings.sh",
            "sh -s -- purchase_predict_api_candidate /tmp/purchase_predict_api.abc/purchase_predict_api.env img@sha256:1 host 8080 20000 31999 < start-candidate.sh",
            "sh -s -- purchase_predict_api_candidate /tmp/purchase_predict_api.abc/purchase_predict_api.env img@sha256:1 publish 8080 20000 31999 --memory 288m --memory-swap 288m < start-candidate.sh",
            "sh -s -- purchase_predict_api_candidate img@sha256:1 http://127.0.0.1:23456 /tmp/purchase_predict_api.abc/request.json < probe-release.sh",
            "sh -s -- purchase_predict_api_handover img@sha256:1 - /var/lib/purchase_predict_api/request.json < probe-release.sh",
            "sh -s -- /tmp/purchase_predict_api.abc /etc/systemd/system/purchase_predict_api.service /etc/default/purchase_predict_api " +
                "/var/lib/purchase_predict_api/request.json < install-release.sh",
            "sh -s -- /etc/systemd/system/purchase_predict_api.service /etc/default/purchase_predict_api < remove-release.sh",
            "sh -c 'systemctl daemon-reload && systemctl enable --quiet purchase_predict_api.service && " +
                "systemctl restart purchase_predict_api.service && systemctl show purchase_predict_api.service --property=NRestarts --value' sh",
            "systemctl is-active purchase_predict_api.service",
            "docker run --detach --name purchase_predict_api_handover --log-driver journald --env-file /etc/default/purchase_predict_api --network host img@sha256:1",
            "sh -s -- purchase_predict_api_handover 10 < stop-container.sh",
            "sh -s -- purchase_predict_api img@sha256:1 http://127.0.0.1:8081 /var/lib/purchase_predict_api/request.json purchase_predict_api.service 2 alone < probe-release.sh",
            "sh -s -- purchase_predict_api img@sha256:1 http://127.0.0.1:8081 /var/lib/purchase_predict_api/request.json purchase_predict_api.service 2 shared < probe-release.sh",
            "sh -s -- purchase_predict_api.service purchase_predict_api http://127.0.0.1:8081 /var/lib/purchase_predict_api/history " +
                "/var/lib/purchase_predict_api/request.json 20 /var/lib/purchase_predict_api/rollout.lock /var/lib/purchase_predict_api/deploy.lock < status.sh",
            "journalctl --unit purchase_predict_api.service --lines 100 --no-pager --output short-iso",
            "docker logs --tail 40 purchase_predict_api_candidate",
            "sh -s -- purchase_predict_api_candidate /etc/default/purchase_predict_api img@sha256:1 host 8080 20000 31999 < start-candidate.sh",
            "docker container inspect --format '{{.Config.Image}}' purchase_predict_api",
            "sh -s -- http://127.0.0.1:8081 < model-identity.sh",
            "sh -s -- http://127.0.0.1:8081 /var/lib/purchase_predict_api/history/20260101T000000Z-0123456789ab < model-identity.sh",
            "sh -s -- purchase_predict_api.service purchase_predict_api < send-reload.sh",
            "sh -s -- purchase_predict_api 3 http://127.0.0.1:8081 ab12 /var/lib/purchase_predict_api/request.json < probe-reload.sh",
        }));

    [Test]
    public void EveryScriptItNames_IsAFileOfBuildRemote_AndEveryFileThereIsUsed()
    {
        // Verify reads what each VM runs with a script of its own.
        var named = Every().Append(VerifyStep.RunningImage(DeployTestData.Paths)).Select(c => c.InputFile).OfType<string>().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(named, Has.All.Matches<string>(File.Exists));
            Assert.That(named.Select(Path.GetFileName).Distinct().Order(),
                Is.EqualTo(Directory.GetFiles(DeployTestData.Paths.RemoteScripts, "*.sh").Select(Path.GetFileName).Order()));
        }
    }

    [Test]
    public void RemoteScript_PassesArgumentsPositionally_NeverInsideTheScript() =>
        Assert.That(RemoteScript.Of("/r/build/remote/x.sh", "a b; rm -rf /").ToShellLine(),
            Is.EqualTo("sh -s -- 'a b; rm -rf /'"));

    [Test]
    public void RemoteScript_Sequence_StopsAtTheFirstFailure() =>
        Assert.That(ServiceCommands.Restart().ToShellLine(), Is.EqualTo(
            "sh -c 'systemctl daemon-reload && systemctl enable --quiet purchase_predict_api.service && " +
            "systemctl restart purchase_predict_api.service && systemctl show purchase_predict_api.service --property=NRestarts --value' sh"));

    [Test]
    public void DeployLock_Acquire_NamesTheHolderAndCanBreakAStaleLock()
    {
        var line = Commands.Lock(ServiceLayout.LockDirectory, Holder, breakLock: true).ToShellLine();
        Assert.That(line, Does.EndWith(" /var/lib/purchase_predict_api/deploy.lock 'ci@runner pid 7 since 2026-01-01T00:00:00Z (Deploy of sandbox)' break"));
    }

    [Test]
    public void Handover_StartsTheNewReleaseOnTheSharedPortWithTheInstalledEnvFile() =>
        Assert.That(ServiceCommands.StartHandover("img@sha256:1", []).ToString(), Is.EqualTo(
            "docker run --detach --name purchase_predict_api_handover --log-driver journald --env-file /etc/default/purchase_predict_api --network host img@sha256:1"));

    [Test]
    public void Handover_WithAKeyFile_MountsItReadOnlyLikeTheUnitsContainer() =>
        Assert.That(ServiceCommands.StartHandover("img@sha256:1", VmCredentials.ContainerArguments("/etc/pp/key.json")).ToString(), Is.EqualTo(
            "docker run --detach --name purchase_predict_api_handover --log-driver journald --env-file /etc/default/purchase_predict_api --network host " +
            "--mount type=bind,source=/etc/pp/key.json,target=/run/secrets/google-credentials.json,readonly img@sha256:1"));

    // The env file holds secrets: it reaches the VM on ssh's standard input, never on a command line.
    [Test]
    public void ReceiveFile_TakesTheContentOnStandardInput_NeverAsAnArgument()
    {
        var command = ServiceCommands.ReceiveFile("/tmp/x/purchase_predict_api.env").WithStandardInput(new Secret("TOKEN=s3cret"));
        var overSsh = Ssh.Run(new SshTarget("127.0.0.1", "deploy", 2201), command);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(overSsh.ToString(), Does.Not.Contain("s3cret"));
            Assert.That(overSsh.ArgumentValues(), Has.None.Contains("s3cret"));
            Assert.That(overSsh.StandardInput!.Value, Is.EqualTo("TOKEN=s3cret"));
        }
    }

    [Test]
    public void DryRun_PlansAnswersTheNextStepReads()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Commands.SameRelease("/tmp/s", 8081).PlannedOutput, Does.StartWith("differs: "));
            Assert.That(Commands.StartCandidate("/tmp/s", "i", ContainerNetwork.Host, 8080, []).PlannedOutput, Is.EqualTo("<candidate-port>"));
            Assert.That(HostDelivery.IsPrediction(Commands.Status(8081, 0).PlannedOutput!["predict: ".Length..]), Is.True);
        }
    }

    [Test]
    public void History_PlansAnEarlierRelease_SoARollbackPlanHasATarget()
    {
        var planned = DeployHistory.Parse(Commands.History("abcd123").PlannedOutput!);
        Assert.That(DeployHistory.RollbackTarget(planned, "abcd")?.Name, Is.EqualTo("<earlier-release>"));
    }
}
