using System.Net;
using System.Net.Sockets;

namespace PurchasePredict.GcpSandbox.Tests;

/// <summary>gcp-sandbox's command line: what a wrong one or a taken port does (one line, an exit code, nothing started).</summary>
[Parallelizable(ParallelScope.All)]
public class CommandLineTests
{
    [TestCase(new string[0], "usage: gcp-sandbox create-key|oauth|metadata|mlflow|registry-auth")]
    [TestCase(new[] { "serve" }, "usage: gcp-sandbox")]
    [TestCase(new[] { "oauth", "--state" }, "--state needs a value")]
    [TestCase(new[] { "oauth", "--state", "/tmp/x", "--state", "/tmp/y", "--port", "0" }, "--state is given twice")]
    [TestCase(new[] { "oauth", "--state", "/tmp/x", "--host", "0.0.0.0", "--port", "0" }, "unknown option '--host' (known: --port, --state)")]
    [TestCase(new[] { "oauth", "--state", "/tmp/x", "--port", "70000" }, "--port '70000' is not a port number")]
    [TestCase(new[] { "mlflow", "--port", "0" }, "--state is required")]
    [TestCase(new[] { "create-key", "--state", "/tmp/x", "--account", "a@b.c", "--token-uri", "ftp://x", "--out", "/tmp/k.json" }, "--token-uri 'ftp://x' is not an http(s) URL")]
    [TestCase(new[] { "registry-auth", "--state", "/tmp/x", "--tokeninfo", "http://127.0.0.1:1/tokeninfo", "--service", "s", "--port", "0" }, "--readers or --writers is required")]
    public async Task WrongCommandLine_ExitsWith2_SayingWhatIsWrong(string[] args, string message)
    {
        var (exitCode, stdout, stderr) = await StandInProcess.RunGcpSandboxAsync(args);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(stderr, Does.Contain(message));
            Assert.That(stdout, Does.Not.Contain("ready on"));
        }
    }

    [Test]
    public async Task PortTaken_ExitsWith1_NamingIt()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var state = Directory.CreateTempSubdirectory("gcp-sandbox-").FullName;
        try
        {
            var (exitCode, stdout, stderr) = await StandInProcess.RunGcpSandboxAsync("mlflow", "--state", state, "--port", port.ToString());
            Assert.That((exitCode, stdout), Is.EqualTo((1, "")));
            Assert.That(stderr, Does.Contain(port.ToString()).And.Contain("address already in use").IgnoreCase);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Test]
    public async Task Stopped_WithSigterm_ExitsCleanly()
    {
        var state = Directory.CreateTempSubdirectory("gcp-sandbox-").FullName;
        try
        {
            var server = await StandInProcess.StartGcpSandboxAsync("oauth", "--state", state, "--port", "0");
            await using (server)
            {
                // How start-stop-daemon --stop ends it.
                Assert.That((await StandInProcess.RunAsync("kill", "-TERM", server.Id.ToString())).ExitCode, Is.Zero);
                Assert.That(await server.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.Zero);
            }
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
