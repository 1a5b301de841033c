using System.Net;
using System.Net.Sockets;

namespace PurchasePredict.Pipeline.Tests;

// build/remote/pull-image.sh, stop-container.sh and container-listening.sh with a real shell, a fake
// docker, and (for the listening check) this machine's real /proc and a real listening socket.
public class ContainerScriptTests
{
    private ScriptBench _bench = null!;

    [SetUp]
    public void Create() => _bench = new ScriptBench();

    [TearDown]
    public void Dispose() => _bench.Dispose();

    [Test]
    public void Pull_AnImageTheVmLacks_PullsItByDigest()
    {
        _bench.Fake("docker", "[ \"$1\" = image ] && exit 1; exit 0");
        var result = _bench.Run("pull-image.sh", "r/i@sha256:1");
        Assert.That((result.ExitCode, _bench.Calls), Is.EqualTo((0, new[] { "docker image inspect r/i@sha256:1", "docker pull --quiet r/i@sha256:1" })));
    }

    [Test]
    public void Pull_AnImageTheVmHas_PullsNothing()
    {
        _bench.Fake("docker");
        _bench.Run("pull-image.sh", "r/i@sha256:1");
        Assert.That(_bench.Calls, Is.EqualTo(new[] { "docker image inspect r/i@sha256:1" }));
    }

    [Test]
    public void Pull_ThatFails_FailsWithDockersMessage()
    {
        _bench.Fake("docker", "[ \"$1\" = pull ] && { echo 'manifest unknown' >&2; exit 1; }; exit 1");
        var result = _bench.Run("pull-image.sh", "r/i@sha256:1");
        Assert.That((result.ExitCode, result.StandardError.Trim()), Is.EqualTo((1, "manifest unknown")));
    }

    [Test]
    public void Stop_DrainsThenRemoves_AndAnAbsentContainerIsFine()
    {
        _bench.Fake("docker", "exit 1");
        var result = _bench.Run("stop-container.sh", "purchase_predict_api_handover", "10");
        Assert.That((result.ExitCode, _bench.Calls), Is.EqualTo((0, new[]
        {
            "docker stop --time 10 purchase_predict_api_handover",
            "docker rm --force purchase_predict_api_handover",
        })));
    }

    [Test]
    public void Listening_WhenAProcessOfTheContainerListensOnThePort_Exits0()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        FakeDockerFor(running: true);
        Assert.That(_bench.Run("container-listening.sh", "purchase_predict_api", Port(listener)).ExitCode, Is.Zero);
    }

    [Test]
    public void Listening_WhenNothingListensOnThePort_Exits1()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        FakeDockerFor(running: true);
        Assert.That(_bench.Run("container-listening.sh", "purchase_predict_api", port.ToString()).ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void Listening_WhenTheContainerHasExited_Exits2()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        FakeDockerFor(running: false);
        Assert.That(_bench.Run("container-listening.sh", "purchase_predict_api", Port(listener)).ExitCode, Is.EqualTo(2));
    }

    private static string Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port.ToString();

    // The container's id is matched in /proc/<pid>/cgroup: a line of this test process's own cgroup
    // stands in for it, so this process is "in the container" and its socket is the container's.
    private void FakeDockerFor(bool running)
    {
        var cgroup = File.ReadAllLines("/proc/self/cgroup").FirstOrDefault(l => !l.EndsWith(":/")) ?? File.ReadAllLines("/proc/self/cgroup")[0];
        _bench.Fake("docker", "case \"$3\" in\n" +
            "  '{{.State.Running}}') echo " + (running ? "true" : "false") + " ;;\n" +
            "  '{{.Id}}') echo '" + cgroup + "' ;;\n" +
            "esac");
    }
}
