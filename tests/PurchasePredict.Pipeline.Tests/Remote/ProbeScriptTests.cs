namespace PurchasePredict.Pipeline.Tests;

// build/remote/probe-release.sh and status.sh with a real shell and real curl against a service on
// 127.0.0.1; systemctl, docker and journalctl are fakes that answer what each test sets.
public class ProbeScriptTests
{
    private const string Image = "r/i@sha256:1";
    private const string MasterStarted = """{"Category":"PurchasePredict.Workers.Master","Message":"master_started Pid=1 Workers=2 Port=8081","State":{"Event":"master_started","Pid":1,"Workers":2,"Port":8081}}""";

    private ScriptBench _bench = null!;
    private LocalHttpServer _service = null!;
    private int _readyStatus;

    private string Url => _service.Url;

    [SetUp]
    public void Create()
    {
        _bench = new ScriptBench();
        _readyStatus = 200;
        // GET /health/ready answers Ready, GET /model the identity, POST /predict [0,1]: the API's contract.
        _service = new LocalHttpServer(request => request.Method == "POST" ? new StandInAnswer(200, "[0,1]")
            : request.PathAndQuery == "/model" ? new StandInAnswer(200, "{\"source\":\"m.txt\",\"sha256\":\"0a1b\"}")
            : request.PathAndQuery == "/health/ready" ? new StandInAnswer(_readyStatus, _readyStatus == 200 ? "Ready" : "model not loaded")
            : new StandInAnswer(404, ""));
    }

    [TearDown]
    public void Dispose()
    {
        _service.Dispose();
        _bench.Dispose();
    }

    [Test]
    public void Probe_EveryWorkerReady_PrintsThePredictAnswer()
    {
        Container("running 0 " + Image, MasterStarted, Ready(0), Ready(1));
        var request = _bench.Write("request.json", "[{\"a\": 1}]");
        var result = _bench.Run("probe-release.sh", "c", Image, Url, request);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((0, "[0,1]")), result.StandardError);
            Assert.That(_service.Seen.Select(r => r.Method + " " + r.PathAndQuery), Is.EqualTo(new[] { "GET /health/ready", "POST /predict" }));
            Assert.That(_service.Seen.Single(r => r.Method == "POST"), Is.EqualTo(new SeenRequest("POST", "/predict", "application/json", "[{\"a\": 1}]")));
        }
    }

    // Workers accept only once ready, so /health/ready answers as soon as one is: the master's log tells
    // whether all are. A reloaded slot's second worker_ready counts once.
    [Test]
    public void Probe_NotEveryWorkerReady_IsNotReadyYet_AndAsksNoHttp()
    {
        Container("running 0 " + Image, MasterStarted, Ready(0), Ready(0));
        var result = _bench.Run("probe-release.sh", "c", Image, Url, _bench.Write("request.json", "[]"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((3, "1 of 2 workers have loaded the model")));
            Assert.That(_service.Seen, Is.Empty);
        }
    }

    [Test]
    public void Probe_ReadinessNot200_IsNotReadyYet()
    {
        _readyStatus = 503;
        Container("running 0 " + Image, MasterStarted, Ready(0), Ready(1));
        var result = _bench.Run("probe-release.sh", "c", Image, Url, _bench.Write("request.json", "[]"));
        Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((3, "GET /health/ready is not 200 yet")));
    }

    // A model that can't load: the master gives up and the container exits, no use waiting any longer.
    [Test]
    public void Probe_ExitedContainer_HasCrashed()
    {
        Container("exited 4 " + Image, MasterStarted);
        var result = _bench.Run("probe-release.sh", "c", Image, Url, _bench.Write("request.json", "[]"));
        Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((4, "container c exited with code 4")));
    }

    // The handover container shares its port: only its own log can say it is ready.
    [Test]
    public void Probe_WithoutUrl_JudgesFromTheLogAlone()
    {
        Container("running 0 " + Image, MasterStarted, Ready(0), Ready(1));
        var result = _bench.Run("probe-release.sh", "c", Image, "-", _bench.Write("request.json", "[]"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((0, "ready")));
            Assert.That(_service.Seen, Is.Empty);
        }
    }

    [Test]
    public void Probe_WithoutUrl_AndNoWorkerHostLog_IsNotReady()
    {
        Container("running 0 " + Image);
        var result = _bench.Run("probe-release.sh", "c", Image, "-", _bench.Write("request.json", "[]"));
        Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((3, "no worker host lifecycle log yet")));
    }

    // WORKERS=1 runs the app alone, without a master and its log: HTTP readiness decides.
    [Test]
    public void Probe_SingleProcess_IsReadyWhenItAnswers()
    {
        Container("running 0 " + Image, """{"Message":"Now listening on: http://0.0.0.0:8080"}""");
        Assert.That(_bench.Run("probe-release.sh", "c", Image, Url, _bench.Write("request.json", "[]")).ExitCode, Is.Zero);
    }

    // The service's new container beside the handover, before its master has logged anything: the handover
    // answers on the shared port, which must not pass for this container's readiness.
    [Test]
    public void Probe_ServiceSharingItsPort_WithoutWorkerHostLogYet_IsNotReady_AndAsksNoHttp()
    {
        _bench.Fake("systemctl", "case \"$2\" in --property=NRestarts) echo 0 ;; --property=ActiveState) echo active ;; esac");
        Container("running 0 " + Image);
        var result = _bench.Run("probe-release.sh", "c", Image, Url, _bench.Write("request.json", "[]"), "u.service", "0", "shared");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((3, "no worker host lifecycle log yet")));
            Assert.That(_service.Seen, Is.Empty);
        }
    }

    [Test]
    public void Probe_ServiceSharingItsPort_EveryWorkerReady_AsksHttp()
    {
        _bench.Fake("systemctl", "case \"$2\" in --property=NRestarts) echo 0 ;; --property=ActiveState) echo active ;; esac");
        Container("running 0 " + Image, MasterStarted, Ready(0), Ready(1));
        var result = _bench.Run("probe-release.sh", "c", Image, Url, _bench.Write("request.json", "[]"), "u.service", "0", "shared");
        Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((0, "[0,1]")));
    }

    [Test]
    public void Probe_PostsWithCurlThatFailsOnHttpErrorsAndTimesOut()
    {
        Container("running 0 " + Image, MasterStarted, Ready(0), Ready(1));
        _bench.Fake("curl");
        _bench.Run("probe-release.sh", "c", Image, "http://127.0.0.1:8081", "/var/lib/x/request.json");
        Assert.That(_bench.Calls.Where(c => c.StartsWith("curl")), Is.EqualTo(new[]
        {
            "curl --silent --fail --max-time 5 http://127.0.0.1:8081/health/ready",
            "curl --silent --show-error --fail --max-time 10 --header Content-Type: application/json --data-binary @/var/lib/x/request.json http://127.0.0.1:8081/predict",
        }));
    }

    [TestCase("active", 3, "running 0 " + Image, 4, "u.service crashed and was restarted 1 times")]
    [TestCase("activating", 2, "running 0 " + Image, 3, "u.service is activating")]
    [TestCase("active", 2, "running 0 r/i@sha256:old", 3, "running r/i@sha256:old")]
    [TestCase("active", 2, "created 0 " + Image, 3, "container c is created")]
    [TestCase("active", 2, null, 3, "no container yet")]
    public void Probe_TheServicesContainer_NotReady_SaysWhyAndHowBad(string state, int restarts, string? container, int exitCode, string why)
    {
        _bench.Fake("systemctl", $"case \"$2\" in --property=NRestarts) echo {restarts} ;; --property=ActiveState) echo {state} ;; esac");
        Container(container, MasterStarted, Ready(0), Ready(1));
        var result = _bench.Run("probe-release.sh", "c", Image, Url, _bench.Write("request.json", "[]"), "u.service", "2");
        Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((exitCode, why)));
    }

    [Test]
    public void Status_Healthy_ShowsStateImageCommitLocksHistoryReadinessPredictAndLogs_Exit0()
    {
        StatusFakes("active");
        Directory.CreateDirectory(_bench["history/20260101T000000Z-a"]);
        Directory.CreateDirectory(_bench["history/20260102T000000Z-b"]);
        _bench.Write("locks/rollout.lock/holder", "ci@runner pid 7 since 2026-01-01T00:00:00Z (Deploy of sandbox)\n");
        var result = Status(Url, "20", _bench["locks/rollout.lock"], _bench["locks/deploy.lock"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.StandardOutput, Is.EqualTo(
                "unit:    active (running) since Thu 2026-01-01 00:00:00 UTC\n" +
                "image:   r/i@sha256:1\n" +
                "commit:  0123abc\n" +
                "started: 2026-01-01T00:00:01Z\n" +
                "lock:    rollout.lock held by ci@runner pid 7 since 2026-01-01T00:00:00Z (Deploy of sandbox)\n" +
                "history: 20260101T000000Z-a 20260102T000000Z-b (newest last: the release verified last)\n" +
                "ready:   GET /health/ready -> Ready (200)\n" +
                "model:   {\"source\":\"m.txt\",\"sha256\":\"0a1b\"}\n" +
                "predict: [0,1]\n" +
                "last log lines:\n" +
                "a log line\n"));
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(_bench.Calls, Does.Contain("journalctl --unit u.service --lines 20 --no-pager --output short-iso"));
        }
    }

    [TestCase("inactive", 200, true, "unit:    inactive")]
    [TestCase("active", 503, true, "ready:   GET /health/ready -> model not loaded (503)")]
    [TestCase("active", 200, false, "history: none")]
    public void Status_Unhealthy_Exit1(string state, int ready, bool answers, string shown)
    {
        _readyStatus = ready;
        StatusFakes(state);
        var result = Status(answers ? Url : $"http://127.0.0.1:{FreePort.Next()}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.StandardOutput, Does.Contain(shown));
        }
    }

    private CommandResult Status(string url, string logLines = "0", params string[] locks) =>
        _bench.Run("status.sh", ["u.service", "c", url, _bench["history"], _bench.Write("request.json", "[]"), logLines, .. locks.DefaultIfEmpty(_bench["lock"])]);

    private void StatusFakes(string state)
    {
        _bench.Fake("systemctl", $$"""
            case "$2" in
              --property=ActiveState) echo {{state}} ;;
              --property=SubState) echo running ;;
              --property=ActiveEnterTimestamp) echo 'Thu 2026-01-01 00:00:00 UTC' ;;
            esac
            """);
        _bench.Fake("docker", "case \"$3\" in *revision*) echo 0123abc ;; *StartedAt*) echo 2026-01-01T00:00:01Z ;; *) echo r/i@sha256:1 ;; esac");
        _bench.Fake("journalctl", "echo 'a log line'");
    }

    private static string Ready(int slot) =>
        $$$"""{"Category":"PurchasePredict.Workers.Master","Message":"worker_ready Pid={{{10 + slot}}} Slot={{{slot}}} BootMs=900","State":{"Event":"worker_ready","Pid":{{{10 + slot}}},"Slot":{{{slot}}},"BootMs":900}}""";

    // docker as a container in that state would answer: inspect prints "<status> <exit code> <image>"
    // (null: no such container), logs prints the lines.
    private void Container(string? inspect, params string[] logLines)
    {
        var logs = string.Join("\n", logLines);
        _bench.Write("container.log", logs + "\n");
        _bench.Fake("docker", inspect is null ? "exit 1" : $"case \"$1\" in inspect) echo '{inspect}' ;; logs) cat '{_bench["container.log"]}' ;; esac");
    }
}
