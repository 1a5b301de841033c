#nullable enable
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json;

// A release for one VM: a new one (its files rendered on the runner) or an earlier one from the VM's history.
public abstract record Release(string Image, string Commit);

public sealed record NewRelease(string Image, string Commit, string Unit, Secret EnvFile, string RequestFile) : Release(Image, Commit);

public sealed record EarlierRelease(HistoryEntry Entry) : Release(Entry.Image, Entry.Commit);

// What happens on one VM during Deploy and Rollback, in order. Deliver reads top to bottom, one
// method per step, and the methods follow in the same order:
//   1. lock     the VM's deploy lock (deploy-lock.sh): a second deploy fails at once, naming the holder
//   2. stage    the release's files in a private temporary directory on the VM: uploaded with scp (the
//               env file exists on the runner, 0600, only for the copy), or copied from the VM's history
//   3. pull     the VM's credentials first (vm-credentials.sh: docker logs in to the registry as the VM's
//               service account; the service's key file, if any, is in place), then the image by digest
//               (pull-image.sh), while the old version still serves
//   4. install  unit, env file and /predict request in place, the old unit and env file saved (install-release.sh)
//   5. switch   with a handover, a second container of the new release first serves on the shared port;
//               then daemon-reload, enable, restart
//   6. verify   until the timeout: active, the expected image, no crash-restart, GET /, POST /predict
//               answers a list of 0/1 (probe-release.sh); then the handover container drains and leaves
//   7. record   the release in the VM's history (history-record.sh)
// On a failure in 3 to 6: the journal is printed, then undo (the saved unit and env file back, and
// restarted if the new release had replaced them: restore-release.sh) and verify-previous (step 6 for
// the release that ran before). The staging directory and the lock go away whatever happens.
// Every command goes through Vm to the one runner, so --dryrun walks these same steps.
public sealed class HostDelivery(Vm vm, DeploySettings settings, ServiceCommands commands, BuildPaths paths, CommandRunner runner, Action<string> log)
{
    private const int LockHeld = 75;
    private const int ContainerGone = 2;
    private const int Crashed = 4;

    private int Port => vm.Host.ServicePort;

    public void Deliver(Release release)
    {
        using var held = Lock();                                        // 1. lock
        var running = History().LastOrDefault();
        using var staged = Stage(release);                              // 2. stage
        log($"{vm.Name}: installing {release.Image} (commit {release.Commit})");
        var (installed, restarted, handingOver) = (false, false, false);
        try
        {
            Credentials(release.Image);                                 // 3. pull
            Pull(release.Image);
            installed = true;
            Install(staged.Directory);                                  // 4. install
            handingOver = settings.Handover && StartHandover(release.Image);
            restarted = true;
            var restarts = Restart();                                   // 5. switch
            Verify(release.Image, restarts);                            // 6. verify
            if (handingOver)
            {
                FinishHandover();
                handingOver = false;
            }
        }
        catch (DeployException failure) when (failure is not HostUnreachableException)
        {
            log(failure.Message);
            log($"{vm.Name}: last 100 lines of the journal:\n" + Journal(100));
            if (handingOver)
            {
                StopHandover();
            }
            throw new DeployException(Undo(installed, restarted, running, failure), failure);   // undo, verify-previous
        }
        Record(staged.Directory, release.Commit);                       // 7. record
    }

    // A /predict answer is a JSON array of 0/1, like the tutorial's Flask app returns.
    public static bool IsPrediction(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Array
                && document.RootElement.GetArrayLength() > 0
                && document.RootElement.EnumerateArray().All(e => e.TryGetInt32(out var v) && v is 0 or 1);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Who is deploying: user, machine, process and time, so the message of a blocked deploy is actionable.
    public static string Holder() =>
        $"{System.Environment.UserName}@{System.Environment.MachineName} pid {System.Environment.ProcessId} since {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}";

    // 1. No automatic expiry on purpose: a slow deploy must never be broken into by a second one.
    private IDisposable Lock()
    {
        var result = vm.TryRun(commands.Lock(Holder(), settings.BreakLock));
        return result.ExitCode switch
        {
            0 => new OnDispose(Unlock),
            LockHeld => throw new DeployLockedException(
                $"{vm.Name}: another deploy holds the lock: {result.StandardOutput.Trim()}. " +
                "If that deploy is dead, run again with --break-lock=true."),
            _ => throw new DeployException($"{vm.Name}: could not take the deploy lock {ServiceLayout.LockDirectory}: {result.StandardError.Trim()}"),
        };
    }

    private void Unlock()
    {
        try
        {
            vm.Run(ServiceCommands.Unlock(), quiet: true);
        }
        catch (DeployException e)
        {
            // Runs while another error may be unwinding: report, don't replace it.
            log($"WARNING: the deploy lock {ServiceLayout.LockDirectory} on {vm.Name} was not released ({e.Message}); the next deploy needs --break-lock=true.");
        }
    }

    private IReadOnlyList<HistoryEntry> History() =>
        DeployHistory.Parse(vm.Run(commands.History(), quiet: true).StandardOutput);

    // 2. A half-finished upload never touches the running service: it only fills the staging directory.
    private StagedRelease Stage(Release release)
    {
        if (release is EarlierRelease earlier)
        {
            return new StagedRelease(vm, vm.Run(commands.StageFromHistory(earlier.Entry.Name)).StandardOutput.Trim());
        }
        var files = WriteFiles((NewRelease)release);
        var staged = new StagedRelease(vm, vm.RunAsLoginUser(ServiceCommands.StagingDirectory()).StandardOutput.Trim());
        try
        {
            vm.Upload(files, staged.Directory);
        }
        catch
        {
            staged.Dispose();
            throw;
        }
        finally
        {
            runner.DeleteFile(files[0]);
        }
        return staged;
    }

    // The release's files on the runner, the env file (secrets) first.
    private IReadOnlyList<string> WriteFiles(NewRelease release)
    {
        var directory = paths.DeployBundle(vm.Host.Name);
        string InBundle(string name) => System.IO.Path.Combine(directory, name);
        runner.WriteSecretFile(InBundle(ServiceLayout.StagedEnv), release.EnvFile);
        runner.WriteFile(InBundle(ServiceLayout.StagedUnit), release.Unit);
        runner.WriteFile(InBundle(ServiceLayout.StagedImage), release.Image + "\n");
        runner.WriteFile(InBundle(ServiceLayout.StagedCommit), release.Commit + "\n");
        runner.Do($"copy {release.RequestFile} to {directory}", () => System.IO.File.Copy(release.RequestFile, InBundle(ServiceLayout.StagedRequest), overwrite: true));
        return [InBundle(ServiceLayout.StagedEnv), InBundle(ServiceLayout.StagedUnit), InBundle(ServiceLayout.StagedImage), InBundle(ServiceLayout.StagedCommit), InBundle(ServiceLayout.StagedRequest)];
    }

    // 3. A VM that gets no token, or a key file the container could not read, fails here: nothing pulled or stopped.
    private void Credentials(string image) => vm.Run(commands.Credentials(vm.Host.Name, image,
        settings.RegistryLogin == RegistryLogin.VmServiceAccount ? VmCredentials.MetadataServerFor(vm.Host) : null, settings.GoogleCredentialsFile));

    // 3.
    private void Pull(string image) => vm.Run(commands.Pull(image));

    // 4.
    private void Install(string stage) => vm.Run(commands.Install(stage));

    // 5. The workers listen with SO_REUSEPORT, so the kernel spreads connections over every listener on
    // the port: the unit's old container drains while this one serves. False when there is nothing to
    // hand over from, or when the container exits (a server that can't share its port, a broken release):
    // then a plain restart, with its short gap, and verify decides as usual.
    private bool StartHandover(string image)
    {
        if (vm.TryRun(ServiceCommands.IsActive(), quiet: true).StandardOutput.Trim() != "active")
        {
            return false;
        }
        vm.Run(commands.StopContainer(ServiceLayout.HandoverContainer, 1), quiet: true);
        vm.Run(ServiceCommands.StartHandover(image, VmCredentials.ContainerArguments(settings.GoogleCredentialsFile)));
        if (!WaitUntilListening(ServiceLayout.HandoverContainer))
        {
            var why = vm.TryRun(ServiceCommands.ContainerLogs(ServiceLayout.HandoverContainer, 1), quiet: true);
            log($"{vm.Name}: the handover container exited ({(why.StandardOutput + why.StandardError).Trim()}); " +
                "a plain restart instead, with a short gap (docs/deploy.md)");
            StopHandover();
            return false;
        }
        log($"{vm.Name}: handover container listens on {Port}; restarting the unit");
        return true;
    }

    // 5. Returns the unit's restart counter right after the restart, which verify compares with.
    private int Restart() => Counter(vm.Run(ServiceCommands.Restart()).StandardOutput);

    // 6. It runs on the VM over ssh, so it works when the runner can't reach the service port (a GCP
    // firewall, say). A unit that restarted by itself since our restart has crashed: no waiting out the timeout.
    private void Verify(string image, int restartsBaseline)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        var healthy = runner.WaitUntil($"{vm.Host.Name} runs {image} and answers /predict", () =>
        {
            var result = vm.TryRun(commands.Probe(Port, image, restartsBaseline), quiet: true);
            var output = result.StandardOutput.Trim();
            if (result.ExitCode == 0 && IsPrediction(output))
            {
                log($"{vm.Name}: healthy after {clock.Elapsed.TotalSeconds:0.0} s; /predict answered {output}");
                return true;
            }
            last = result.ExitCode == 0 ? $"/predict answered '{output}', not a list of 0/1" : output + " " + result.StandardError.Trim();
            return result.ExitCode == Crashed ? null : false;
        }, TimeSpan.FromSeconds(settings.VerifyTimeoutSeconds), TimeSpan.FromMilliseconds(500));
        if (!healthy)
        {
            throw new HealthCheckFailedException($"{vm.Name}: the service is not healthy after {clock.Elapsed.TotalSeconds:0} s: {last.Trim()}");
        }
    }

    // 6. Once the unit's new container listens too, the handover container drains and leaves.
    private void FinishHandover()
    {
        if (!WaitUntilListening(ServiceLayout.ContainerName))
        {
            throw new HealthCheckFailedException($"{vm.Name}: the new container could not bind its port next to the handover container.");
        }
        StopHandover();
    }

    // True once the container listens; false when it has exited; an error when it neither listens nor exits in time.
    private bool WaitUntilListening(string container)
    {
        var exited = false;
        var listening = runner.WaitUntil($"{container} listens on {Port}", () =>
        {
            var code = vm.TryRun(commands.Listening(container, Port), quiet: true).ExitCode;
            exited = code == ContainerGone;
            return code == 0 ? true : exited ? null : false;
        }, TimeSpan.FromSeconds(settings.VerifyTimeoutSeconds), TimeSpan.FromMilliseconds(250));
        if (listening || exited)
        {
            return listening;
        }
        var logs = vm.TryRun(ServiceCommands.ContainerLogs(container, 30), quiet: true);
        throw new HealthCheckFailedException(
            $"{vm.Name}: container {container} is not listening on port {Port} after {settings.VerifyTimeoutSeconds} s. Its last lines:\n" +
            (logs.StandardOutput + logs.StandardError).TrimEnd());
    }

    private void StopHandover() =>
        vm.Run(commands.StopContainer(ServiceLayout.HandoverContainer, settings.GracefulTimeoutSeconds), quiet: true);

    // 7.
    private void Record(string stage, string commit) =>
        vm.Run(commands.Record(stage, DeployHistory.EntryName(DateTime.UtcNow, commit), settings.HistorySize));

    // Undo, then verify-previous: the message says what state the VM is left in.
    private string Undo(bool installed, bool restarted, HistoryEntry? running, DeployException failure)
    {
        if (!installed)
        {
            return $"{failure.Message}. Nothing was installed: the running release is untouched.";
        }
        var output = vm.Run(commands.Restore(restarted)).StandardOutput.Trim();
        if (!output.StartsWith("restored ", StringComparison.Ordinal))
        {
            return $"{failure.Message}. Nothing was deployed here before: the service was removed again.";
        }
        if (running is null)
        {
            return $"{failure.Message}. The previous unit and env file are back.";
        }
        log($"{vm.Name}: restored the previous release (commit {running.Commit}); checking it");
        Verify(running.Image, Counter(output["restored ".Length..]));
        return $"{failure.Message}. Rolled back: the previous release (commit {running.Commit}) answers again.";
    }

    private string Journal(int lines) =>
        vm.TryRun(ServiceCommands.Journal(lines), quiet: true) is var result && result.ExitCode == 0
            ? result.StandardOutput.TrimEnd()
            : "(journalctl failed: " + result.StandardError.Trim() + ")";

    private int Counter(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new DeployException($"{vm.Name}: unexpected NRestarts '{text.Trim()}'.");

    // A release staged on the VM; disposing removes its directory.
    private sealed class StagedRelease(Vm vm, string directory) : IDisposable
    {
        public string Directory => directory;

        public void Dispose() => vm.TryRun(ServiceCommands.RemoveStage(directory), quiet: true);
    }

    private sealed class OnDispose(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
