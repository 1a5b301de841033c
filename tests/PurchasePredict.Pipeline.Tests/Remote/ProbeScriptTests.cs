namespace PurchasePredict.Pipeline.Tests;

// build/remote/probe-release.sh and status.sh with a real shell and real curl against a service on
// 127.0.0.1; systemctl, docker and journalctl are fakes that answer what each test sets.
public class ProbeScriptTests
{
    private const string Image = "r/i@sha256:1";
    private ScriptBench _bench = null!;
    private LocalHttpServer _service = null!;

    private string Url => _service.Url;

    [SetUp]
    public void Create()
    {
        _bench = new ScriptBench();
        // GET / answers OK, POST /predict [0,1]: the API's contract.
        _service = new LocalHttpServer(request => new StandInAnswer(200, request.Method == "POST" ? "[0,1]" : "OK"));
    }

    [TearDown]
    public void Dispose()
    {
        _service.Dispose();
        _bench.Dispose();
    }

    [Test]
    public void Probe_HealthyRelease_PrintsThePredictAnswer()
    {
        Unit(state: "active", restarts: 2, running: Image);
        var request = _bench.Write("request.json", "[{\"a\": 1}]");
        var result = _bench.Run("probe-release.sh", "u.service", "c", Image, "2", Url, request);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((0, "[0,1]")), result.StandardError);
            Assert.That(_service.Seen.Single(r => r.Method == "POST"), Is.EqualTo(new SeenRequest("POST", "/predict", "application/json", "[{\"a\": 1}]")));
        }
    }

    [Test]
    public void Probe_PostsWithCurlThatFailsOnHttpErrorsAndTimesOut()
    {
        Unit(state: "active", restarts: 0, running: Image);
        _bench.Fake("curl");
        _bench.Run("probe-release.sh", "u.service", "c", Image, "0", "http://127.0.0.1:8081", "/var/lib/x/request.json");
        Assert.That(_bench.Calls.Where(c => c.StartsWith("curl")), Is.EqualTo(new[]
        {
            "curl --silent --show-error --fail --max-time 5 http://127.0.0.1:8081/",
            "curl --silent --show-error --fail --max-time 10 --header Content-Type: application/json --data-binary @/var/lib/x/request.json http://127.0.0.1:8081/predict",
        }));
    }

    [TestCase("active", 3, Image, 4, "u.service crashed and was restarted 1 times")]
    [TestCase("activating", 2, Image, 3, "u.service is activating")]
    [TestCase("active", 2, "r/i@sha256:old", 3, "running r/i@sha256:old")]
    [TestCase("active", 2, null, 3, "no container yet")]
    public void Probe_NotReady_SaysWhyAndHowBad(string state, int restarts, string? running, int exitCode, string why)
    {
        Unit(state, restarts, running);
        var result = _bench.Run("probe-release.sh", "u.service", "c", Image, "2", Url, _bench.Write("request.json", "[]"));
        Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((exitCode, why)));
    }

    [Test]
    public void Probe_ServiceThatDoesNotAnswer_IsNotReadyYet()
    {
        Unit(state: "active", restarts: 0, running: Image);
        var result = _bench.Run("probe-release.sh", "u.service", "c", Image, "0", $"http://127.0.0.1:{FreePort.Next()}", _bench.Write("request.json", "[]"));
        Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((3, "GET / does not answer yet")));
    }

    [Test]
    public void Status_ShowsStateImageCommitHistoryHealthAndLogs()
    {
        _bench.Fake("systemctl", """
            case "$2" in
              --property=ActiveState) echo active ;;
              --property=SubState) echo running ;;
              --property=ActiveEnterTimestamp) echo 'Thu 2026-01-01 00:00:00 UTC' ;;
            esac
            """);
        _bench.Fake("docker", "case \"$3\" in *revision*) echo 0123abc ;; *StartedAt*) echo 2026-01-01T00:00:01Z ;; *) echo r/i@sha256:1 ;; esac");
        _bench.Fake("journalctl", "echo 'a log line'");
        Directory.CreateDirectory(_bench["history/20260101T000000Z-a"]);
        Directory.CreateDirectory(_bench["history/20260102T000000Z-b"]);
        var result = _bench.Run("status.sh", "u.service", "c", Url, _bench["history"], "20");
        Assert.That(result.StandardOutput, Is.EqualTo(
            "unit:    active (running) since Thu 2026-01-01 00:00:00 UTC\n" +
            "image:   r/i@sha256:1\n" +
            "commit:  0123abc\n" +
            "started: 2026-01-01T00:00:01Z\n" +
            "history: 20260101T000000Z-a 20260102T000000Z-b \n" +
            "health:  GET / -> OK\n" +
            "last log lines:\n" +
            "a log line\n"));
        Assert.That(_bench.Calls, Does.Contain("journalctl --unit u.service --lines 20 --no-pager --output short-iso"));
    }

    // systemctl and docker as the unit's state would make them answer.
    private void Unit(string state, int restarts, string? running)
    {
        _bench.Fake("systemctl", $"case \"$2\" in --property=NRestarts) echo {restarts} ;; --property=ActiveState) echo {state} ;; esac");
        _bench.Fake("docker", running is null ? "exit 1" : $"echo '{running}'");
    }
}
