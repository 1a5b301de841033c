#nullable enable
using System.Diagnostics;

// Polls a probe script on a VM (probe-release.sh, probe-reload.sh: exit 0 ready, 3 not yet, 4 no use waiting)
// until it is ready and its /predict answer is a list of 0/1, for at most deploy.verifyTimeoutSeconds. Stops
// at once when the probe says it crashed or failed and, when interruptible, when the run is interrupted.
// Returns what the probe printed: the /predict answer, or "ready"; null in a dry run, which waits for nothing.
public sealed class ReadinessPoll(Vm vm, CommandRunner runner, Action<string> log, int timeoutSeconds)
{
    private const int Failed = 4;

    public string? WaitUntilReady(string what, ShellCommand probe, bool interruptible)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        string? answer = null;
        var ready = runner.WaitUntil($"{what} on {vm.Host.Name} is ready", () =>
        {
            if (interruptible && runner.Interruption.IsRequested)
            {
                return null;
            }
            var result = vm.TryRun(probe, quiet: true);
            var output = result.StandardOutput.Trim();
            if (result.ExitCode == 0 && (output == "ready" || HostDelivery.IsPrediction(output)))
            {
                log($"{vm.Name}: {what} is ready after {clock.Elapsed.TotalSeconds:0.0} s" + (output == "ready" ? "" : $"; /predict answered {output}"));
                answer = output;
                return true;
            }
            last = result.ExitCode == 0 ? $"/predict answered '{output}', not a list of 0/1" : (output + " " + result.StandardError.Trim()).Trim();
            return result.ExitCode is 0 or Failed ? null : false;
        }, TimeSpan.FromSeconds(timeoutSeconds), TimeSpan.FromMilliseconds(500));
        if (!ready)
        {
            if (interruptible)
            {
                runner.Interruption.ThrowIfRequested($"{what} on {vm.Host.Name} was not ready yet");
            }
            throw new HealthCheckFailedException($"{vm.Name}: {what} is not healthy after {clock.Elapsed.TotalSeconds:0} s: {last}");
        }
        return answer;
    }
}
