using System.Net;
using System.Net.Sockets;

namespace PurchasePredict.Pipeline.Tests;

// build/remote/pull-image.sh, stop-container.sh, start-candidate.sh, clean-leftovers.sh and running-image.sh
// (what Verify asks each VM) with a real shell, a fake docker, and (for the candidate's port) this
// machine's real /proc and a real listening socket.
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

    // The candidate must not take a port something listens on: with a range of two ports whose first is
    // taken (a real listening socket, found in this machine's /proc/net/tcp), it gets the second.
    [Test]
    public void Candidate_HostNetwork_TakesAFreePortOfTheRange_AndSetsPortToIt()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var first = ((IPEndPoint)taken.LocalEndpoint).Port;
        var free = first + 1;
        _bench.Fake("docker");
        var result = _bench.Run("start-candidate.sh", "c", "/stage/env", "r/i@sha256:1", "host", "8080", first.ToString(), free.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((0, free.ToString())), result.StandardError);
            Assert.That(_bench.Calls, Is.EqualTo(new[]
            {
                "docker rm --force c",
                $"docker run --detach --name c --env-file /stage/env --env PORT={free} --network host r/i@sha256:1",
            }));
        }
    }

    [Test]
    public void Candidate_Publish_PublishesOnLoopbackOnly()
    {
        _bench.Fake("docker");
        var result = _bench.Run("start-candidate.sh", "c", "/stage/env", "r/i@sha256:1", "publish", "8080", "20000", "31999");
        var port = int.Parse(result.StandardOutput.Trim());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(port, Is.InRange(20000, 31999));
            Assert.That(_bench.Calls[^1], Is.EqualTo($"docker run --detach --name c --env-file /stage/env --publish 127.0.0.1:{port}:8080 r/i@sha256:1"));
        }
    }

    [Test]
    public void Candidate_WhenEveryPortOfTheRangeIsTaken_FailsAndStartsNothing()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString();
        _bench.Fake("docker");
        var result = _bench.Run("start-candidate.sh", "c", "/stage/env", "r/i@sha256:1", "host", "8080", port, port);
        Assert.That((result.ExitCode, result.StandardError.Trim(), _bench.Calls.Count), Is.EqualTo((1, $"start-candidate.sh: no free port from {port} to {port}", 0)));
    }

    [Test]
    public void Leftovers_OfAKilledDeploy_AreRemoved_AndNamed()
    {
        var stage = Directory.CreateDirectory(_bench["tmp/purchase_predict_api.abc"]).FullName;
        File.WriteAllText(Path.Combine(stage, "purchase_predict_api.env"), "TOKEN=x");
        Directory.CreateDirectory(_bench["tmp/other"]);
        // Only the candidate exists.
        _bench.Fake("docker", "[ \"$1\" = inspect ] && [ \"$4\" != purchase_predict_api_candidate ] && exit 1; exit 0");
        var result = _bench.Run("clean-leftovers.sh", _bench["tmp/purchase_predict_api."], "purchase_predict_api_candidate", "purchase_predict_api_handover");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.StandardOutput, Is.EqualTo($"removed {stage}\nremoved container purchase_predict_api_candidate\n"));
            Assert.That(Directory.Exists(stage), Is.False);
            Assert.That(Directory.Exists(_bench["tmp/other"]), Is.True);
            Assert.That(_bench.Calls, Does.Contain("docker rm --force purchase_predict_api_candidate").And.No.Contain("docker rm --force purchase_predict_api_handover"));
        }
    }

    [Test]
    public void Leftovers_WhenThereAreNone_RemovesNothing()
    {
        _bench.Fake("docker", "exit 1");
        var result = _bench.Run("clean-leftovers.sh", _bench["tmp/purchase_predict_api."], "c");
        Assert.That((result.ExitCode, result.StandardOutput), Is.EqualTo((0, "")));
    }

    [Test]
    public void RunningImage_OfAContainer_PrintsWhetherItRuns_ItsImageId_AndItsReference()
    {
        _bench.Fake("docker", "echo 'true sha256:c0 r/i@sha256:d1'");
        var result = _bench.Run("running-image.sh", "purchase_predict_api");
        Assert.That((result.ExitCode, result.StandardOutput.Trim(), _bench.Calls.Single()), Is.EqualTo((0, "true sha256:c0 r/i@sha256:d1",
            "docker inspect --format {{.State.Running}} {{.Image}} {{.Config.Image}} purchase_predict_api")));
    }

    [Test]
    public void RunningImage_OfNoContainer_PrintsNone()
    {
        _bench.Fake("docker", "echo 'Error: No such object' >&2; exit 1");
        var result = _bench.Run("running-image.sh", "purchase_predict_api");
        Assert.That((result.ExitCode, result.StandardOutput.Trim()), Is.EqualTo((0, "none")));
    }

    [Test]
    public void RunningImage_WithoutItsArgument_SaysHowToCallIt() =>
        Assert.That(_bench.Run("running-image.sh").ExitCode, Is.EqualTo(2));
}
