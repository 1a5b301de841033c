namespace PurchasePredict.Pipeline.Tests;

public class CommandRunnerTests
{
    [Test]
    public void Runner_PassesArgumentsWithoutShellAndFeedsSecretInput()
    {
        var logged = new List<string>();
        var runner = new CommandRunner(logged.Add);
        var result = runner.Run(ShellCommand.Of("sh", "-c", "printf '%s|' \"$0\"; cat", "a b;c").WithStandardInput(new Secret("s3cret")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.StandardOutput.Trim(), Is.EqualTo("a b;c|s3cret"));
            Assert.That(string.Join("\n", logged), Does.Not.Contain("s3cret"));
        }
    }

    [Test]
    public void Runner_NonZeroExit_ThrowsWithCommandAndStderr()
    {
        var runner = new CommandRunner(_ => { });
        Assert.That(() => runner.Run(ShellCommand.Of("sh", "-c", "echo boom >&2; exit 3")),
            Throws.TypeOf<CommandFailedException>().With.Message.Contains("code 3").And.Message.Contains("boom"));
    }

    [Test]
    public void DryRunRunner_LogsCommandAndStartsNothing()
    {
        var logged = new List<string>();
        var marker = Path.Combine(Path.GetTempPath(), "dry-run-" + Guid.NewGuid());
        var result = new CommandRunner(logged.Add) { DryRun = true }.Run(ShellCommand.Of("touch", marker));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(logged, Is.EqualTo(new[] { "[dry run] touch " + marker }));
            Assert.That(File.Exists(marker), Is.False);
        }
    }

    [Test]
    public void DryRun_AnswersWithThePlannedOutput() =>
        Assert.That(new CommandRunner(_ => { }) { DryRun = true }.Run(ShellCommand.Of("mktemp", "-d").Planned("/tmp/<staged>")).StandardOutput,
            Is.EqualTo("/tmp/<staged>"));

    [Test]
    public void DryRun_QueriesStillRun() =>
        Assert.That(new CommandRunner(_ => { }) { DryRun = true }.Query(ShellCommand.Of("echo", "asked")).StandardOutput.Trim(),
            Is.EqualTo("asked"));

    [Test]
    public void DryRun_FileChangesAreDescribedNotMade()
    {
        var logged = new List<string>();
        var runner = new CommandRunner(logged.Add) { DryRun = true };
        var directory = Directory.CreateTempSubdirectory("runner-dry-").FullName;
        try
        {
            runner.WriteFile(Path.Combine(directory, "unit"), "[Unit]\n");
            runner.WriteSecretFile(Path.Combine(directory, "env"), new Secret("TOKEN=s3cret"));
            runner.DeleteDirectory(directory);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(Directory.GetFiles(directory), Is.Empty);
                Assert.That(Directory.Exists(directory), Is.True);
                Assert.That(logged[0], Is.EqualTo($"[dry run] write {Path.Combine(directory, "unit")}:\n[Unit]"));
                Assert.That(string.Join("\n", logged), Does.Not.Contain("s3cret"));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void WriteSecretFile_IsOwnerOnly()
    {
        var file = Path.Combine(Path.GetTempPath(), "secret-" + Guid.NewGuid());
        try
        {
            new CommandRunner(_ => { }).WriteSecretFile(file, new Secret("TOKEN=s3cret"));
            Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Redact_ReplacesSecretValuesInOutputAndInLines()
    {
        var lines = new List<string>();
        var runner = new CommandRunner(_ => { });
        runner.Redact([new Secret("abc=def"), new Secret("t0k")]);
        var result = runner.Run(ShellCommand.Of("sh", "-c", "echo 'key abc=def and t0k'; echo t0k >&2"), onLine: lines.Add);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.StandardOutput.Trim(), Is.EqualTo("key *** and ***"));
            Assert.That(result.StandardError.Trim(), Is.EqualTo("***"));
            Assert.That(lines, Is.EqualTo(new[] { "key *** and ***" }));
        }
    }

    [Test]
    public void ReadSecret_IsNeverLogged_AndIsRedactedFromThenOn()
    {
        var logged = new List<string>();
        var runner = new CommandRunner(logged.Add);
        var token = runner.ReadSecret(ShellCommand.Of("printf", "ya29.token"));
        var echoed = runner.Run(ShellCommand.Of("echo", "got ya29.token"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(token.Value, Is.EqualTo("ya29.token"));
            Assert.That(echoed.StandardOutput.Trim(), Is.EqualTo("got ***"));
            Assert.That(string.Join("\n", logged), Does.Not.Contain("ya29.token"));
        }
    }

    // A metadata server hands out one token until it nears its expiry: Push's login and the environment tag's
    // read the same token in one run, and the second read must not come back as "***".
    [Test]
    public void ReadSecret_TheSameTokenTwice_ComesBackWholeBothTimes_AndAnotherSecretInsideItStaysToo()
    {
        var runner = new CommandRunner(_ => { });
        runner.Redact([new Secret("token")]);
        var first = runner.ReadSecret(ShellCommand.Of("printf", "ya29.token"));
        var second = runner.ReadSecret(ShellCommand.Of("printf", "ya29.token"));
        Assert.That((first.Value, second.Value), Is.EqualTo(("ya29.token", "ya29.token")));
    }

    [Test]
    public void InputFile_IsFedOnStandardInput()
    {
        var script = Path.Combine(Path.GetTempPath(), "script-" + Guid.NewGuid() + ".sh");
        try
        {
            File.WriteAllText(script, "echo \"got $1\"\n");
            Assert.That(new CommandRunner(_ => { }).Run(RemoteScript.Of(script, "a b")).StandardOutput, Is.EqualTo("got a b\n"));
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Test]
    public void InputFile_ThatIsMissing_FailsBeforeAnyProcessWaitsForIt() =>
        Assert.That(() => new CommandRunner(_ => { }).TryRun(RemoteScript.Of("/nonexistent/script.sh"), timeout: TimeSpan.FromSeconds(30)),
            Throws.InstanceOf<IOException>().With.Message.Contains("/nonexistent/script.sh"));

    [TestCase(true, true)]
    [TestCase(null, false)]
    public void WaitUntil_EndsWhenTheAttemptDecides(bool? answer, bool expected)
    {
        var attempts = 0;
        var done = new CommandRunner(_ => { }).WaitUntil("x", () => ++attempts < 3 ? false : answer, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1));
        Assert.That((done, attempts), Is.EqualTo((expected, 3)));
    }

    [Test]
    public void WaitUntil_GivesUpAfterTheTimeout() =>
        Assert.That(new CommandRunner(_ => { }).WaitUntil("never", () => false, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(5)), Is.False);

    [Test]
    public void WaitUntil_InADryRun_WaitsForNothing()
    {
        var logged = new List<string>();
        var called = false;
        var done = new CommandRunner(logged.Add) { DryRun = true }.WaitUntil("it answers", () => called = true, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        Assert.That((done, called, logged.Single()), Is.EqualTo((true, false, "[dry run] wait until it answers")));
    }

    [Test]
    public void DeleteDirectory_RemovesReadOnlyFilesToo()
    {
        var directory = Directory.CreateTempSubdirectory("runner-delete-").FullName;
        var file = Path.Combine(directory, "pack");
        File.WriteAllText(file, "x");
        File.SetAttributes(file, FileAttributes.ReadOnly);
        new CommandRunner(_ => { }).DeleteDirectory(directory);
        Assert.That(Directory.Exists(directory), Is.False);
    }

    // The sandbox's VM image build deletes a debootstrap tree whose var/run links to the machine's /run:
    // on a fresh machine the delete walked into /run/docker and failed there, after changing modes on the way.
    [Test]
    public void DeleteDirectory_LeavesWhatALinkPointsTo_Untouched()
    {
        var outside = Directory.CreateTempSubdirectory("runner-outside-").FullName;
        var kept = Path.Combine(outside, "kept");
        File.WriteAllText(kept, "x");
        File.SetAttributes(kept, FileAttributes.ReadOnly);
        var directory = Directory.CreateTempSubdirectory("runner-delete-").FullName;
        Directory.CreateSymbolicLink(Path.Combine(directory, "run"), outside);
        new CommandRunner(_ => { }).DeleteDirectory(directory);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Directory.Exists(directory), Is.False);
            Assert.That(File.Exists(kept), Is.True);
            Assert.That(File.GetAttributes(kept).HasFlag(FileAttributes.ReadOnly), Is.True, "its mode was not changed");
        }
        File.SetAttributes(kept, FileAttributes.Normal);
        Directory.Delete(outside, recursive: true);
    }

    // SIGINT, SIGTERM or SIGHUP (Interruption): the local command the run waits for is killed at once.
    [Test]
    public void Interrupted_ALocalCommandRunning_IsKilledAndTheRunStops()
    {
        var interruption = new Interruption();
        var runner = new CommandRunner(_ => { }) { Interruption = interruption };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var timer = new Timer(_ => interruption.Request("SIGTERM"), null, 300, Timeout.Infinite);
        Assert.That(() => runner.Run(ShellCommand.Of("sleep", "30")),
            Throws.TypeOf<PipelineInterruptedException>().With.Message.EqualTo("Interrupted by SIGTERM: `sleep 30` was stopped"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    // A command that changes a VM (ssh, scp) is never cut in half: what it did would be unknown.
    [Test]
    public void Interrupted_ACommandThatFinishesWhenInterrupted_RunsToItsEnd()
    {
        var interruption = new Interruption();
        var runner = new CommandRunner(_ => { }) { Interruption = interruption };
        using var timer = new Timer(_ => interruption.Request("SIGINT"), null, 200, Timeout.Infinite);
        var result = runner.Run(ShellCommand.Of("sh", "-c", "sleep 1; echo finished").FinishingWhenInterrupted());
        Assert.That((interruption.IsRequested, result.StandardOutput.Trim()), Is.EqualTo((true, "finished")));
    }

    [Test]
    public void Interrupted_NoNewLocalCommandStarts_ButOneThatChangesAVmStill_Does()
    {
        var interruption = new Interruption();
        var logged = new List<string>();
        var runner = new CommandRunner(logged.Add) { Interruption = interruption };
        interruption.Request("SIGINT");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => runner.Run(ShellCommand.Of("echo", "local")),
                Throws.TypeOf<PipelineInterruptedException>().With.Message.EqualTo("Interrupted by SIGINT: `echo local` was not started"));
            Assert.That(logged, Is.Empty);
            Assert.That(runner.Run(ShellCommand.Of("echo", "undo").FinishingWhenInterrupted()).StandardOutput.Trim(), Is.EqualTo("undo"));
        }
    }

    // Ctrl-C (or kill -INT -<group>) signals the pipeline's whole process group: a command that must finish
    // runs in a session and group of its own, so only the pipeline hears it; any other stays in ours.
    [Test]
    public void CommandThatFinishesWhenInterrupted_RunsInItsOwnProcessGroup()
    {
        var ours = File.ReadAllText("/proc/self/stat").Split(' ')[4];
        var runner = new CommandRunner(_ => { });
        var ask = ShellCommand.Of("sh", "-c", "cut -d' ' -f5 /proc/$$/stat");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(runner.Run(ask).StandardOutput.Trim(), Is.EqualTo(ours));
            Assert.That(runner.Run(ask.FinishingWhenInterrupted()).StandardOutput.Trim(), Is.Not.EqualTo(ours));
        }
    }

    [Test]
    public void Interruption_TheFirstSignalCounts()
    {
        var interruption = new Interruption();
        interruption.Request("SIGTERM");
        interruption.Request("SIGINT");
        Assert.That((interruption.IsRequested, interruption.Signal), Is.EqualTo((true, "SIGTERM")));
    }
}
