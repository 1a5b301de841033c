namespace PurchasePredict.Pipeline.Tests;

// Golden strings: every command line Deploy, Rollback and Status run on a VM (before ssh and sudo wrap
// them: SshTests and SudoTests pin those). A script of build/remote/ shows as `sh -s -- ARGS < name.sh`.
public class ServiceCommandsTests
{
    private static readonly ServiceCommands Commands = new(DeployTestData.Paths);

    private static IEnumerable<ShellCommand> Every() =>
    [
        ServiceCommands.Reachable(),
        Commands.Lock("ci@runner pid 7 since 2026-01-01T00:00:00Z", breakLock: false),
        ServiceCommands.Unlock(),
        Commands.History(),
        Commands.Record("/tmp/purchase_predict_api.abc", "20260101T000000Z-0123456789ab", 5),
        ServiceCommands.StagingDirectory(),
        Commands.StageFromHistory("20260101T000000Z-0123456789ab"),
        ServiceCommands.RemoveStage("/tmp/purchase_predict_api.abc"),
        Commands.Pull("img@sha256:1"),
        Commands.Install("/tmp/purchase_predict_api.abc"),
        Commands.Restore(restart: true),
        ServiceCommands.Restart(),
        ServiceCommands.IsActive(),
        ServiceCommands.StartHandover("img@sha256:1"),
        Commands.StopContainer("purchase_predict_api_handover", 10),
        Commands.Listening("purchase_predict_api", 8081),
        Commands.Probe(8081, "img@sha256:1", 2),
        Commands.Status(8081, 20),
        ServiceCommands.Journal(100),
        ServiceCommands.ContainerLogs("purchase_predict_api_handover", 1),
    ];

    [Test]
    public void EveryCommand_RendersExactly() =>
        Assert.That(Every().Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "true",
            "sh -s -- /var/lib/purchase_predict_api/deploy.lock 'ci@runner pid 7 since 2026-01-01T00:00:00Z' keep < deploy-lock.sh",
            "rm -rf /var/lib/purchase_predict_api/deploy.lock",
            "sh -s -- /var/lib/purchase_predict_api/history < history-list.sh",
            "sh -s -- /var/lib/purchase_predict_api/history /tmp/purchase_predict_api.abc 20260101T000000Z-0123456789ab 5 < history-record.sh",
            "mktemp -d /tmp/purchase_predict_api.XXXXXXXX",
            "sh -s -- /var/lib/purchase_predict_api/history/20260101T000000Z-0123456789ab < stage-from-history.sh",
            "rm -rf /tmp/purchase_predict_api.abc",
            "sh -s -- img@sha256:1 < pull-image.sh",
            "sh -s -- /tmp/purchase_predict_api.abc /etc/systemd/system/purchase_predict_api.service /etc/default/purchase_predict_api " +
                "/var/lib/purchase_predict_api/previous /var/lib/purchase_predict_api/request.json < install-release.sh",
            "sh -s -- /etc/systemd/system/purchase_predict_api.service /etc/default/purchase_predict_api /var/lib/purchase_predict_api/previous restart < restore-release.sh",
            "sh -c 'systemctl daemon-reload && systemctl enable --quiet purchase_predict_api.service && " +
                "systemctl restart purchase_predict_api.service && systemctl show purchase_predict_api.service --property=NRestarts --value' sh",
            "systemctl is-active purchase_predict_api.service",
            "docker run --detach --name purchase_predict_api_handover --env-file /etc/default/purchase_predict_api --network host img@sha256:1",
            "sh -s -- purchase_predict_api_handover 10 < stop-container.sh",
            "sh -s -- purchase_predict_api 8081 < container-listening.sh",
            "sh -s -- purchase_predict_api.service purchase_predict_api img@sha256:1 2 http://127.0.0.1:8081 /var/lib/purchase_predict_api/request.json < probe-release.sh",
            "sh -s -- purchase_predict_api.service purchase_predict_api http://127.0.0.1:8081 /var/lib/purchase_predict_api/history 20 < status.sh",
            "journalctl --unit purchase_predict_api.service --lines 100 --no-pager --output short-iso",
            "docker logs --tail 1 purchase_predict_api_handover",
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
        var line = Commands.Lock("ci@runner pid 7 since 2026-01-01T00:00:00Z", breakLock: true).ToShellLine();
        Assert.That(line, Does.EndWith(" /var/lib/purchase_predict_api/deploy.lock 'ci@runner pid 7 since 2026-01-01T00:00:00Z' break"));
    }

    [Test]
    public void Handover_StartsTheNewReleaseOnTheSharedPortWithTheInstalledEnvFile() =>
        Assert.That(ServiceCommands.StartHandover("img@sha256:1").ToString(), Is.EqualTo(
            "docker run --detach --name purchase_predict_api_handover --env-file /etc/default/purchase_predict_api --network host img@sha256:1"));

    [Test]
    public void Handover_Listening_LooksForTheContainersOwnSocketOnTheHexPort()
    {
        var command = Commands.Listening("purchase_predict_api", 8081);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllText(command.InputFile!), Does.Contain("/proc/net/tcp /proc/net/tcp6").And.Contains("printf ':%04X'"));
            Assert.That(command.ArgumentValues(), Is.EqualTo(new[] { "-s", "--", "purchase_predict_api", "8081" }));
        }
    }

    [Test]
    public void History_PlansAnEarlierRelease_SoARollbackPlanHasATarget()
    {
        var planned = DeployHistory.Parse(Commands.History("abcd123").PlannedOutput!);
        Assert.That(DeployHistory.RollbackTarget(planned, "abcd")?.Name, Is.EqualTo("<earlier-release>"));
    }
}
