#nullable enable
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;

// The service failed its checks; Journal holds the unit's last log lines (secrets redacted).
public sealed class HealthCheckFailedException(string message) : DeployException(message);

// Waits until, on the VM, the unit is active, runs the expected image, answers GET / and answers a real
// /predict with a list of 0/1. It runs on the VM over ssh, so it works when the runner can't reach the
// service port (a GCP firewall, say). A unit that restarted by itself since our restart (its NRestarts
// above the baseline read right after it) has crashed: no waiting out the timeout.
public sealed class HealthCheck(RemoteHost remote, int timeoutSeconds, Action<string> log)
{
    private const int NotYet = 3;
    private const int Crashed = 4;

    public static ShellCommand ProbeCommand(int port, string image, int restartsBaseline)
    {
        var unit = DeploySettings.UnitName;
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        return RemoteScript.Of(
            "unit=$1; image=$2; baseline=$3; state=$(systemctl show --property=ActiveState --value \"$unit\"); " +
            "restarts=$(systemctl show --property=NRestarts --value \"$unit\"); " +
            $"if [ \"${{restarts:-0}}\" -gt \"$baseline\" ]; then echo \"$unit crashed and was restarted $((restarts - baseline)) times\"; exit {Crashed}; fi; " +
            $"if [ \"$state\" != active ]; then echo \"$unit is $state\"; exit {NotYet}; fi; " +
            $"running=$(docker inspect --format '{{{{.Config.Image}}}}' {DeploySettings.ContainerName} 2>/dev/null) || {{ echo 'no container yet'; exit {NotYet}; }}; " +
            $"if [ \"$running\" != \"$image\" ]; then echo \"running $running\"; exit {NotYet}; fi; " +
            Curl.Get(url + "/").ToShellLine() + $" >/dev/null 2>&1 || {{ echo 'GET / does not answer yet'; exit {NotYet}; }}; " +
            Curl.PostJsonFile(url + "/predict", DeploySettings.RemoteStateDirectory + "/" + StagedRelease.RequestFile).ToShellLine(),
            unit, image, restartsBaseline.ToString(CultureInfo.InvariantCulture));
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

    public void WaitUntilHealthy(int port, string image, int restartsBaseline)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (true)
        {
            var result = remote.TryRun(ProbeCommand(port, image, restartsBaseline), quiet: true);
            var output = result.StandardOutput.Trim();
            if (result.ExitCode == 0 && IsPrediction(output))
            {
                log($"{remote.Name}: healthy after {clock.Elapsed.TotalSeconds:0.0} s; /predict answered {output}");
                return;
            }
            last = result.ExitCode == 0 ? $"/predict answered '{output}', not a list of 0/1" : output + " " + result.StandardError.Trim();
            if (result.ExitCode == Crashed || clock.Elapsed.TotalSeconds > timeoutSeconds)
            {
                throw new HealthCheckFailedException($"{remote.Name}: the service is not healthy after {clock.Elapsed.TotalSeconds:0} s: {last.Trim()}");
            }
            Thread.Sleep(500);
        }
    }
}
