namespace PurchasePredict.Pipeline.Tests;

// Golden strings: what the sandbox runs to install tools, start daemons and make images.
public class SandboxCommandTests
{
    [Test]
    public void SandboxCommands_RenderExactly()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Apt.Install(["docker.io", "debootstrap"]).ToString(),
                Is.EqualTo("apt-get install --yes --quiet --quiet --no-install-recommends docker.io debootstrap"));
            Assert.That(Apt.Update().ToString(), Is.EqualTo("apt-get update --quiet --quiet"));
            Assert.That(Daemon.Start("/s/r.pid", "/s/r.log", "/usr/bin/docker-registry", ["serve", "/s/c.yml"]).ToString(),
                Is.EqualTo("start-stop-daemon --start --background --make-pidfile --pidfile /s/r.pid --output /s/r.log --exec /usr/bin/docker-registry -- serve /s/c.yml"));
            Assert.That(Daemon.Stop("/s/r.pid").ToString(),
                Is.EqualTo("start-stop-daemon --stop --oknodo --remove-pidfile --retry TERM/10/KILL/5 --pidfile /s/r.pid"));
            Assert.That(Debootstrap.Create("bookworm", "/s/rootfs", "http://deb.debian.org/debian", ["ca-certificates", "libssl3"]).ToString(),
                Is.EqualTo("debootstrap --variant=minbase --include=ca-certificates,libssl3 bookworm /s/rootfs http://deb.debian.org/debian"));
            Assert.That(Debootstrap.Pack("/s/rootfs", "/s/rootfs.tar").ToString(), Does.StartWith("tar --create --file /s/rootfs.tar --directory /s/rootfs --exclude=./usr/share/doc").And.EndWith(" ."));
            Assert.That(Debootstrap.PackAll("/s/vm-rootfs", "/s/vm-rootfs.tar").ToString(), Is.EqualTo("tar --create --file /s/vm-rootfs.tar --directory /s/vm-rootfs ."));
            Assert.That(SshKeygen.Create("/s/ssh/id_ed25519", "sandbox key").ToString(),
                Is.EqualTo("ssh-keygen -q -t ed25519 -N '' -C 'sandbox key' -f /s/ssh/id_ed25519"));
        }
    }
}
