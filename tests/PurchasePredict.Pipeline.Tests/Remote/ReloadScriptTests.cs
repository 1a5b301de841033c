namespace PurchasePredict.Pipeline.Tests;

// build/remote/send-reload.sh, probe-reload.sh and model-identity.sh with a real shell and real curl against a
// service on 127.0.0.1; docker and systemctl are fakes: docker logs prints the master's lifecycle lines a test sets.
public class ReloadScriptTests
{
    private const string NewSha = "bbbb";
    private const string MasterStarted = """{"Message":"master_started Pid=1 Workers=2 Port=8081","State":{"Event":"master_started","Pid":1,"Workers":2,"Port":8081}}""";

    private ScriptBench _bench = null!;
    private LocalHttpServer _service = null!;
    private string _servedSha = NewSha;

    [SetUp]
    public void Create()
    {
        _bench = new ScriptBench();
        _servedSha = NewSha;
        _service = new LocalHttpServer(request => request.Method == "POST" ? new StandInAnswer(200, "[1,0]")
            : request.PathAndQuery == "/model" ? new StandInAnswer(200, $$"""{"source":"models:/m@staging","sha256":"{{_servedSha}}"}""")
            : new StandInAnswer(404, ""));
    }

    [TearDown]
    public void Dispose()
    {
        _service.Dispose();
        _bench.Dispose();
    }

    [Test]
    public void SendReload_ReloadsTheUnit_AndPrintsTheNextGeneration()
    {
        Logs(MasterStarted, ReloadRequested(1), ReloadRequested(2));
        _bench.Fake("systemctl");
        var result = _bench.Run("send-reload.sh", "u.service", "c");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((0, "3")), result.StandardError);
            Assert.That(_bench.Calls, Does.Contain("systemctl reload u.service"));
        }
    }

    [Test]
    public void SendReload_AUnitWithoutExecReload_Fails()
    {
        Logs(MasterStarted);
        _bench.Fake("systemctl", "echo 'Failed to reload u.service: Job type reload is not applicable for unit u.service.' >&2; exit 1");
        var result = _bench.Run("send-reload.sh", "u.service", "c");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.StandardError, Does.Contain("not applicable"));
            Assert.That(result.StandardOutput, Is.Empty, "no generation to wait for");
        }
    }

    [Test]
    public void Probe_EverySlotSwitched_AndEveryAnswerIsTheNewModel_PrintsThePredictAnswer()
    {
        Logs(MasterStarted, Reloaded(0, 1), ReloadRequested(2), Reloaded(1, 2), Reloaded(0, 2));
        var result = Probe("2");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((0, "[1,0]")), result.StandardError);
            Assert.That(_service.Seen.Count(r => r.PathAndQuery == "/model"), Is.EqualTo(4), "twice as many new connections as workers");
        }
    }

    // A worker_reloaded of an earlier reload does not count for this one.
    [Test]
    public void Probe_OneSlotOfTwoSwitched_IsNotReadyYet()
    {
        Logs(MasterStarted, ReloadRequested(1), Reloaded(0, 1), Reloaded(1, 1), ReloadRequested(2), Reloaded(1, 2));
        Assert.That(Probe("2") is var r ? (r.ExitCode, r.StandardOutput.Trim()) : default, Is.EqualTo((3, "1 of 2 workers switched")));
    }

    [Test]
    public void Probe_BeforeTheMasterLoggedTheReload_IsNotReadyYet()
    {
        Logs(MasterStarted, ReloadRequested(10), ReloadRequested(12));
        Assert.That(Probe("1") is var r ? (r.ExitCode, r.StandardOutput.Trim()) : default, Is.EqualTo((3, "the master has not logged reload 1 yet")));
    }

    [Test]
    public void Probe_ANewWorkerFailedToLoadTheModel_FailsAtOnce_SayingWhy()
    {
        Logs(MasterStarted, ReloadRequested(1), Reloaded(0, 1),
            """{"LogLevel":"Error","Message":"replacement_failed Slot=1","State":{"Event":"replacement_failed","Slot":1,"Pid":31,"KeptPid":12,"Error":"cannot load the model: not a LightGBM text model"}}""");
        var result = Probe("1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(4));
            Assert.That(result.StandardOutput.Trim(), Is.EqualTo("a new worker failed to load the model, its slot kept the old worker (1 of 2 workers switched): cannot load the model: not a LightGBM text model"));
            Assert.That(_service.Seen, Is.Empty);
        }
    }

    [Test]
    public void Probe_AWorkerAnswersAnotherModel_IsNotReadyYet()
    {
        Logs(MasterStarted, ReloadRequested(1), Reloaded(0, 1), Reloaded(1, 1));
        _servedSha = "aaaa";
        Assert.That(Probe("1") is var r ? (r.ExitCode, r.StandardOutput.Trim()) : default, Is.EqualTo((3, "GET /model answered sha256 aaaa, not bbbb")));
    }

    // WORKERS=1: no master, the process reloads in place; GET /model alone tells.
    [Test]
    public void Probe_WithoutAMaster_GoesByGetModel()
    {
        Logs("""{"Message":"model loaded from m"}""");
        Assert.That(Probe("1") is var r ? (r.ExitCode, r.StandardOutput.Trim()) : default, Is.EqualTo((0, "[1,0]")));
    }

    [Test]
    public void ModelIdentity_PrintsTheAnswer_AndKeepsItInTheDirectory()
    {
        var entry = _bench["history/entry"];
        Directory.CreateDirectory(entry);
        var result = _bench.Run("model-identity.sh", _service.Url, entry);
        var expected = $$"""{"source":"models:/m@staging","sha256":"{{NewSha}}"}""";
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((0, expected)), result.StandardError);
            Assert.That(File.ReadAllText(Path.Combine(entry, "model.json")).Trim(), Is.EqualTo(expected));
            Assert.That(File.Exists(Path.Combine(entry, "model.json.new")), Is.False);
        }
    }

    // An image from before GET /model: 404, and nothing is written.
    [Test]
    public void ModelIdentity_NoGetModel_FailsAndWritesNothing()
    {
        using var old = new LocalHttpServer(_ => new StandInAnswer(404, ""));
        var entry = _bench["history/entry"];
        Directory.CreateDirectory(entry);
        var result = _bench.Run("model-identity.sh", old.Url, entry);
        Assert.That((result.ExitCode, Directory.GetFiles(entry).Length), Is.EqualTo((22, 0)));
    }

    private CommandResult Probe(string generation) =>
        _bench.Run("probe-reload.sh", "c", generation, _service.Url, NewSha, _bench.Write("request.json", "[]"));

    private static string ReloadRequested(int generation) =>
        $$$"""{"Message":"reload_requested Generation={{{generation}}}","State":{"Event":"reload_requested","Generation":{{{generation}}}}}""";

    private static string Reloaded(int slot, int generation) =>
        $$$"""{"Message":"worker_reloaded Slot={{{slot}}}","State":{"Event":"worker_reloaded","Slot":{{{slot}}},"OldPid":{{{10 + slot}}},"Pid":{{{20 + slot + generation}}}}}""";

    private void Logs(params string[] lines)
    {
        _bench.Write("container.log", string.Join("\n", lines) + "\n");
        _bench.Fake("docker", $"case \"$1\" in logs) cat '{_bench["container.log"]}' ;; esac");
    }
}
