#nullable enable
using System.Globalization;
using System.Linq;
using System.Text.Json;

// A release for one VM: a new one (its files rendered on the runner) or an earlier one from the VM's history.
public abstract record Release(string Image, string Commit);

public sealed record NewRelease(string Image, string Commit, string Unit, Secret EnvFile, string RequestFile) : Release(Image, Commit);

public sealed record EarlierRelease(HistoryEntry Entry) : Release(Entry.Image, Entry.Commit);

// What a delivery left on a VM, for the summary of a rollout; LeftAlone: it already ran that release, verified.
public sealed record DeliveryOutcome(string Vm, string Image, string State, bool LeftAlone = false);

// A delivery failed on a VM; State says what that VM runs now.
public sealed class DeliveryFailedException(string message, string state, Exception inner) : DeployException(message, inner)
{
    public string State => state;
}

// What happens on one VM during Deploy and Rollback, in order. Deliver reads top to bottom, one
// method per step, and the methods follow in the same order:
//   1. lock     the VM's lock (DeployLocks; the rollout lock is RollingDelivery's); with --break-lock=true,
//               what a killed deploy left here goes too (clean-leftovers.sh)
//   2. stage    the release's files in a private temporary directory on the VM: uploaded (the env file over
//               ssh's standard input: it is never written on the runner), or copied from the VM's history;
//               when the VM already runs exactly this release, verified, nothing more happens (same-release.sh)
//   3. pull     the VM's credentials first (vm-credentials.sh: docker logs in to the registry as the VM's
//               service account; the service's key file, if any, is in place), then the image by digest
//               (pull-image.sh), while the old version serves; and the kernel settings the switch needs,
//               kept in a sysctl.d file (kernel-settings.sh, VmKernelSettings)
//   4. prove    the release starts beside the running one as a candidate container on a port of its own;
//               every worker must load its model and /predict must answer a list of 0/1 before anything
//               that serves is stopped (start-candidate.sh, probe-release.sh); then the candidate goes
//   5. install  unit, env file and /predict request in place (install-release.sh)
//   6. switch   with a handover, a second container of the new release serves on the shared port until
//               its workers are ready; then daemon-reload, enable, restart
//   7. verify   until the timeout: active, the expected image, no crash-restart, every worker ready,
//               GET /health/ready, POST /predict answers a list of 0/1; then the handover container drains
//   8. record   the release in the VM's history (history-record.sh): it is now the last verified release
// A failure or an interrupt (Interruption) before 5 removes the candidate: the running release was never
// stopped. From 5 on, undo puts the last verified release of the history back (none: the service is
// removed); once the restart has happened, the journal is printed and undo restarts that release and
// verifies it (step 7 for it). An interrupt never cuts a command on the VM in half; once verified, a
// release is recorded. The staging directory, the candidate and handover containers and the lock go away
// whatever happens.
// Every command goes through Vm to the one runner, so --dryrun walks these same steps.
public sealed class HostDelivery(Vm vm, DeploySettings settings, ServiceCommands commands, DeployLocks locks, BuildPaths paths, CommandRunner runner, Action<string> log)
{
    private int Port => vm.Host.ServicePort;

    private Interruption Interruption => runner.Interruption;

    public DeliveryOutcome Deliver(Release release)
    {
        using var held = locks.Take(vm, ServiceLayout.LockDirectory);          // 1. lock
        CleanLeftovers();
        using var staged = Stage(release);                                     // 2. stage
        if (AlreadyRuns(staged.Directory, release))
        {
            return new DeliveryOutcome(vm.Host.Name, release.Image, $"already ran {Describe(release)}: left alone", LeftAlone: true);
        }
        var (installed, restarted) = (false, false);
        try
        {
            Credentials(release.Image);                                        // 3. pull
            Pull(release.Image);
            Tune();
            Prove(staged.Directory, release.Image);                            // 4. prove
            Begin("installing");
            installed = true;
            Install(staged.Directory);                                         // 5. install
            using (var handover = StartHandover(release.Image))                // 6. switch
            {
                restarted = true;
                Verify(release.Image, Restart(), interruptible: true, handover.Serves); // 7. verify
            }
        }
        catch (Exception failure) when (failure is PipelineInterruptedException or DeployException and not HostUnreachableException)
        {
            throw Undo(installed, restarted, release, failure);                // undo, verify-previous
        }
        Record(staged.Directory, release);                                     // 8. record
        return new DeliveryOutcome(vm.Host.Name, release.Image, $"runs {Describe(release)}, verified");
    }

    // A /predict answer is a JSON array of 0/1, like the tutorial's Flask app returns.
    public static bool IsPrediction(string body) => ModelGuard.Labels(body) is not null;

    // 1. Only a --break-lock=true run can find leftovers: a deploy that stops by itself removes its own.
    private void CleanLeftovers()
    {
        if (!settings.BreakLock)
        {
            return;
        }
        var removed = vm.Run(commands.CleanLeftovers()).StandardOutput.Trim();
        if (removed.Length > 0)
        {
            log($"{vm.Name}: left by the deploy whose lock was broken: {removed.ReplaceLineEndings("; ")}");
        }
    }

    // 2. A half-finished upload never touches the running service: it only fills the staging directory.
    private StagedRelease Stage(Release release)
    {
        Begin($"staging {Describe(release)}");
        if (release is EarlierRelease earlier)
        {
            return StagedFromHistory(earlier.Entry);
        }
        var next = (NewRelease)release;
        var files = WriteFiles(next);
        var staged = Staged(vm.RunAsLoginUser(ServiceCommands.StagingDirectory()).StandardOutput.Trim());
        try
        {
            vm.Upload(files, staged.Directory);
            vm.RunAsLoginUser(ServiceCommands.ReceiveFile(staged.Directory + "/" + ServiceLayout.StagedEnv).WithStandardInput(next.EnvFile));
        }
        catch
        {
            staged.Dispose();
            throw;
        }
        return staged;
    }

    private StagedRelease StagedFromHistory(HistoryEntry entry) => Staged(vm.Run(commands.StageFromHistory(entry.Name)).StandardOutput.Trim());

    private StagedRelease Staged(string directory) => new(directory, () => Quietly(ServiceCommands.RemoveStage(directory)));

    // The release's files on the runner, all but the env file, which holds secrets.
    private IReadOnlyList<string> WriteFiles(NewRelease release)
    {
        var directory = paths.DeployBundle(vm.Host.Name);
        string InBundle(string name) => System.IO.Path.Combine(directory, name);
        runner.WriteFile(InBundle(ServiceLayout.StagedUnit), release.Unit);
        runner.WriteFile(InBundle(ServiceLayout.StagedImage), release.Image + "\n");
        runner.WriteFile(InBundle(ServiceLayout.StagedCommit), release.Commit + "\n");
        runner.Do($"copy {release.RequestFile} to {directory}", () => System.IO.File.Copy(release.RequestFile, InBundle(ServiceLayout.StagedRequest), overwrite: true));
        return [InBundle(ServiceLayout.StagedUnit), InBundle(ServiceLayout.StagedImage), InBundle(ServiceLayout.StagedCommit), InBundle(ServiceLayout.StagedRequest)];
    }

    // 2. Idempotent: the same image, unit and env file, running and verified, need nothing (--force=true redeploys).
    private bool AlreadyRuns(string stage, Release release)
    {
        if (settings.Force)
        {
            return false;
        }
        var answer = vm.Run(commands.SameRelease(stage, Port), quiet: true).StandardOutput.Trim();
        if (answer != "same")
        {
            log($"{vm.Name}: {answer}");
            return false;
        }
        log($"{vm.Name}: already runs {Describe(release)} with this unit and env file, verified: nothing to do (--force=true redeploys).");
        return true;
    }

    // 3. A VM that gets no token, or a key file the container could not read, fails here: nothing pulled or stopped.
    private void Credentials(string image)
    {
        Begin("getting the VM's credentials");
        vm.Run(commands.Credentials(vm.Host.Name, image,
            settings.RegistryLogin == RegistryLogin.VmServiceAccount ? VmCredentials.MetadataServerFor(vm.Host) : null, settings.GoogleCredentialsFile));
    }

    // 3.
    private void Pull(string image)
    {
        Begin($"pulling {image}");
        vm.Run(commands.Pull(image));
    }

    // 3. Applied on every delivery: a VM set up by hand, or by an older Deploy, gets them too.
    private void Tune()
    {
        Begin("setting the kernel for the switch-over");
        vm.Run(commands.KernelSettings(vm.Host));
    }

    // 4. The old release serves throughout: a release that can't load its model, or answers wrongly,
    // fails here and nothing that serves was touched.
    private void Prove(string stage, string image)
    {
        Begin("proving the release beside the running service");
        var port = vm.Run(commands.StartCandidate(stage, image, settings.Network, settings.ContainerPort, settings.ContainerArguments)).StandardOutput.Trim();
        try
        {
            var answer = WaitUntilReady($"the candidate on port {port}", commands.Probe(ServiceLayout.CandidateContainer, image, ServiceCommands.Url(port),
                stage + "/" + ServiceLayout.StagedRequest), interruptible: true);
            new ModelCheck(vm, commands, settings).Guard(answer, ServiceCommands.Url(port), "the candidate");
        }
        catch (HealthCheckFailedException)
        {
            log($"{vm.Name}: the candidate's last lines:\n" + ContainerLogs(ServiceLayout.CandidateContainer, 40));
            throw;
        }
        finally
        {
            Quietly(commands.StopContainer(ServiceLayout.CandidateContainer, 1));
        }
    }

    // 5.
    private void Install(string stage) => vm.Run(commands.Install(stage));

    // 6. The workers listen with SO_REUSEPORT, so the kernel spreads connections over every listener on
    // the port: the unit's old container drains while this one serves. Nothing to hand over from when the
    // service isn't running; a handover container that doesn't get ready (it was proven, so this is rare)
    // leaves, and a plain restart follows, with its short gap. Disposing the result drains it.
    private Handover StartHandover(string image)
    {
        log($"{vm.Name}: switching to the new release");
        if (!settings.Handover || vm.TryRun(ServiceCommands.IsActive(), quiet: true).StandardOutput.Trim() != "active")
        {
            return Handover.None;
        }
        vm.Run(commands.StopContainer(ServiceLayout.HandoverContainer, 1), quiet: true);
        var handover = new Handover(() => Quietly(commands.StopContainer(ServiceLayout.HandoverContainer, settings.GracefulTimeoutSeconds)));
        try
        {
            vm.Run(ServiceCommands.StartHandover(image, settings.ContainerArguments));
            WaitUntilReady($"the handover container on port {Port}",
                commands.Probe(ServiceLayout.HandoverContainer, image, url: null, ServiceLayout.RequestFile), interruptible: true);
        }
        catch (HealthCheckFailedException e)
        {
            log($"{vm.Name}: {e.Message}; a plain restart instead, with a short gap (docs/deploy.md). Its last lines:\n" +
                ContainerLogs(ServiceLayout.HandoverContainer, 10));
            handover.Dispose();
            return Handover.None;
        }
        catch
        {
            handover.Dispose();
            throw;
        }
        return handover;
    }

    // 6. Returns the unit's restart counter right after the restart, which verify compares with.
    private int Restart() => Counter(vm.Run(ServiceCommands.Restart()).StandardOutput);

    // 7. It runs on the VM over ssh, so it works when the runner can't reach the service port (a GCP
    // firewall, say). A unit that restarted by itself since our restart has crashed: no waiting out the timeout.
    // While the handover serves the port (sharesPort), its answers must not be taken for the service's.
    private void Verify(string image, int restartsBaseline, bool interruptible, bool sharesPort) =>
        WaitUntilReady($"the service on port {Port}", commands.ProbeService(image, Port, restartsBaseline, sharesPort), interruptible);

    // 8. With the model the release serves now (model.json). A rollback to a release whose model source is not
    // pinned (an alias, a stage, a live object) may bring back another model: that is said, not hidden.
    private void Record(string stage, Release release)
    {
        var identity = vm.TryRun(commands.ModelIdentity(ServiceCommands.Url(Port), stage), quiet: true);
        var served = identity.ExitCode == 0 ? ServedModel.Parse(identity.StandardOutput, vm.Name) : null;
        // An image from before GET /model existed (a rollback to it) has no identity to keep.
        log($"{vm.Name}: serves " + (served?.ToString() ?? $"a model that does not say its identity ({identity.LastLine})"));
        if (release is EarlierRelease { Entry.ModelSha256: { } sha } && served is not null && sha != served.Sha256)
        {
            log($"WARNING: {vm.Name}: this release served the model of sha256 {sha[..Math.Min(12, sha.Length)]}; its source {served.Source} is not pinned " +
                "and names another model now: Rollback restored the image, unit and env file, not the model (docs/deploy.md, pinning).");
        }
        vm.Run(commands.Record(stage, DeployHistory.EntryName(DateTime.UtcNow, release.Commit), settings.HistorySize));
    }

    // Polls the probe until the release is ready (and answers a list of 0/1, when it was asked /predict);
    // stops at once when it crashed or answered wrongly, and, when interruptible, when the run is interrupted.
    private string? WaitUntilReady(string what, ShellCommand probe, bool interruptible) =>
        new ReadinessPoll(vm, runner, log, settings.VerifyTimeoutSeconds).WaitUntilReady(what, probe, interruptible);

    // Undo, then verify-previous. The message says why, and what the VM runs now; so does State.
    private DeliveryFailedException Undo(bool installed, bool restarted, Release release, Exception failure)
    {
        log(failure.Message);
        if (!installed)
        {
            return new DeliveryFailedException($"{failure.Message}. The running release was never stopped.",
                $"not changed: {Describe(release)} was not installed", failure);
        }
        if (restarted)
        {
            log($"{vm.Name}: last 100 lines of the journal:\n" + Journal(100));
        }
        HistoryEntry? previous = null;
        try
        {
            previous = DeployHistory.Parse(vm.Run(commands.History(), quiet: true).StandardOutput).LastOrDefault();
            if (previous is null)
            {
                vm.Run(commands.Remove());
                return new DeliveryFailedException($"{failure.Message}. No release was ever verified here: the service was removed again.",
                    "no service (none was ever verified here)", failure);
            }
            log($"{vm.Name}: putting the last verified release back (commit {previous.Commit})");
            using (var staged = StagedFromHistory(previous))
            {
                Install(staged.Directory);
                if (restarted)
                {
                    Verify(previous.Image, Restart(), interruptible: false, sharesPort: false);
                }
            }
        }
        catch (DeployException second)
        {
            var now = State();
            return new DeliveryFailedException(
                $"{failure.Message}. Going back to the last verified release{(previous is null ? "" : $" (commit {previous.Commit})")} failed too: {second.Message}. " +
                $"{vm.Host.Name} now: {now}", "BROKEN, the rollback failed: " + now, failure);
        }
        return restarted
            ? new DeliveryFailedException($"{failure.Message}. Rolled back: the last verified release (commit {previous.Commit}) answers again.",
                $"rolled back to its last verified release, commit {previous.Commit}, which answers", failure)
            : new DeliveryFailedException($"{failure.Message}. Nothing was restarted: the running release was never stopped, and the files of the last verified release (commit {previous.Commit}) are back.",
                $"not changed: still runs what it ran, with the files of its last verified release, commit {previous.Commit}", failure);
    }

    // The unit's state and the image it runs, for a message about a VM that could not be put right.
    private string State()
    {
        try
        {
            var lines = vm.TryRun(commands.Status(Port, 0), quiet: true).StandardOutput.Split('\n');
            return string.Join(", ", lines.Where(l => l.StartsWith("unit:", StringComparison.Ordinal) || l.StartsWith("image:", StringComparison.Ordinal))
                .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
        }
        catch (DeployException e)
        {
            return "unknown: " + e.Message;
        }
    }

    // Before each step: an interrupt stops the delivery here, and undo follows.
    private void Begin(string step)
    {
        Interruption.ThrowIfRequested($"stopped before {step} on {vm.Host.Name}");
        log($"{vm.Name}: {step}");
    }

    private static string Describe(Release release) => $"commit {SourceCommit.ShortOf(release.Commit)} ({release.Image})";

    private string Journal(int lines) =>
        vm.TryRun(ServiceCommands.Journal(lines), quiet: true) is var result && result.ExitCode == 0
            ? result.StandardOutput.TrimEnd()
            : "(journalctl failed: " + result.StandardError.Trim() + ")";

    private string ContainerLogs(string container, int lines)
    {
        var result = vm.TryRun(ServiceCommands.ContainerLogs(container, lines), quiet: true);
        return (result.StandardOutput + result.StandardError).TrimEnd();
    }

    // Clean-up that runs while another error may be unwinding: report a failure, never replace that error.
    private void Quietly(ShellCommand command)
    {
        try
        {
            var result = vm.TryRun(command, quiet: true);
            if (result.ExitCode != 0)
            {
                log($"WARNING: {vm.Name}: `{command}` failed: {result.LastLine}");
            }
        }
        catch (DeployException e)
        {
            log($"WARNING: `{command}` did not run: {e.Message}");
        }
    }

    private int Counter(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new DeployException($"{vm.Name}: unexpected NRestarts '{text.Trim()}'.");

    // A release staged on the VM; disposing removes its directory.
    private sealed class StagedRelease(string directory, Action remove) : IDisposable
    {
        public string Directory => directory;

        public void Dispose() => remove();
    }

    // The handover container while it serves the port beside the unit's; disposing drains it.
    private sealed class Handover(Action? drain) : IDisposable
    {
        public static readonly Handover None = new(null);

        public bool Serves => drain is not null;

        public void Dispose() => drain?.Invoke();
    }
}
