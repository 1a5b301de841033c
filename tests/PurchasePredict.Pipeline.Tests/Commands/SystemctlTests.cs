namespace PurchasePredict.Pipeline.Tests;

// Golden strings: the systemd command lines Deploy runs (systemctl, and journalctl for failures).
public class SystemctlTests
{
    [Test]
    public void Systemctl_And_Journalctl_RenderExactly()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Systemctl.DaemonReload().ToString(), Is.EqualTo("systemctl daemon-reload"));
            Assert.That(Systemctl.Enable("u.service").ToString(), Is.EqualTo("systemctl enable --quiet u.service"));
            Assert.That(Systemctl.IsActive("u.service").ToString(), Is.EqualTo("systemctl is-active u.service"));
            Assert.That(Systemctl.ShowValue("u.service", "NRestarts").ToString(), Is.EqualTo("systemctl show u.service --property=NRestarts --value"));
            Assert.That(Journalctl.Tail("u.service", 100).ToString(),
                Is.EqualTo("journalctl --unit u.service --lines 100 --no-pager --output short-iso"));
        }
    }
}
