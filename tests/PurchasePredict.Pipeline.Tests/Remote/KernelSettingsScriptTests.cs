namespace PurchasePredict.Pipeline.Tests;

// build/remote/kernel-settings.sh with a real shell and a fake sysctl: the sysctl.d file, and when it is written.
public class KernelSettingsScriptTests
{
    private ScriptBench _bench = null!;

    private string SysctlFile => _bench["sysctl.d/60-purchase-predict-api.conf"];

    [SetUp]
    public void Create()
    {
        _bench = new ScriptBench();
        Directory.CreateDirectory(_bench["sysctl.d"]);
        _bench.Fake("sysctl");
    }

    [TearDown]
    public void Dispose() => _bench.Dispose();

    [Test]
    public void Settings_WrittenToTheSysctlFileThenApplied()
    {
        var result = _bench.Run("kernel-settings.sh", SysctlFile, "net.ipv4.tcp_migrate_req=1", "net.ipv4.ip_unprivileged_port_start=80");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(File.ReadAllLines(SysctlFile).Where(line => !line.StartsWith('#')),
                Is.EqualTo(new[] { "net.ipv4.tcp_migrate_req = 1", "net.ipv4.ip_unprivileged_port_start = 80" }));
            Assert.That(_bench.Calls, Is.EqualTo(new[] { $"sysctl -q -p {SysctlFile}" }));
        }
    }

    [Test]
    public void SameSettingsAgain_LeavesTheFileAsItWas_AndAppliesThem()
    {
        _bench.Run("kernel-settings.sh", SysctlFile, "net.ipv4.tcp_migrate_req=1");
        var written = File.GetLastWriteTimeUtc(SysctlFile);
        File.SetLastWriteTimeUtc(SysctlFile, written.AddHours(-1));
        var result = _bench.Run("kernel-settings.sh", SysctlFile, "net.ipv4.tcp_migrate_req=1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(File.GetLastWriteTimeUtc(SysctlFile), Is.EqualTo(written.AddHours(-1)));
            Assert.That(_bench.Calls, Has.Count.EqualTo(2));
        }
    }

    [TestCase("net.ipv4.tcp_migrate_req")]
    [TestCase("net.ipv4.tcp_migrate_req=yes")]
    [TestCase("net.ipv4.tcp_migrate_req=1; reboot")]
    [TestCase("-p=1")]
    public void MalformedSetting_FailsNamingIt_BeforeAnythingIsWrittenOrApplied(string setting)
    {
        var result = _bench.Run("kernel-settings.sh", SysctlFile, "net.ipv4.tcp_migrate_req=1", setting);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.StandardError, Does.Contain($"'{setting}' is not NAME=NUMBER"));
            Assert.That(File.Exists(SysctlFile), Is.False);
            Assert.That(_bench.Calls, Is.Empty);
        }
    }

    [Test]
    public void KernelRefuses_FailsWithSysctlsMessage()
    {
        _bench.Fake("sysctl", "echo 'sysctl: setting key \"net.ipv4.tcp_migrate_req\": Read-only file system' >&2; exit 255");
        var result = _bench.Run("kernel-settings.sh", SysctlFile, "net.ipv4.tcp_migrate_req=1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.StandardError, Does.Contain("net.ipv4.tcp_migrate_req\": Read-only file system"));
        }
    }
}
