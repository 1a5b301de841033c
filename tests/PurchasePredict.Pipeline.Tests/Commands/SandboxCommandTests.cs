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
            Assert.That(GcpSandbox.CreateKey("/t/gcp-sandbox.dll", "/s/gcp", "ci@p.iam.gserviceaccount.com", "http://127.0.0.1:9180/token", "/s/keys/ci.json").ToString(),
                Is.EqualTo("dotnet /t/gcp-sandbox.dll create-key --state /s/gcp --account ci@p.iam.gserviceaccount.com --token-uri http://127.0.0.1:9180/token --out /s/keys/ci.json"));
            Assert.That(GcpSandbox.OAuth("/t/gcp-sandbox.dll", "/s/gcp", 9180).ToString(),
                Is.EqualTo("dotnet /t/gcp-sandbox.dll oauth --state /s/gcp --port 9180"));
            Assert.That(GcpSandbox.Metadata("/t/gcp-sandbox.dll", "/s/keys/vm.json", "storage-ro", 9181).ToString(),
                Is.EqualTo("dotnet /t/gcp-sandbox.dll metadata --key /s/keys/vm.json --scopes storage-ro --port 9181"));
            Assert.That(GcpSandbox.RegistryAuth("/t/gcp-sandbox.dll", "/s/gcp", "http://127.0.0.1:9180/tokeninfo", "127.0.0.1:5000", "vm@p", "ci@p", 5001).ToString(),
                Is.EqualTo("dotnet /t/gcp-sandbox.dll registry-auth --state /s/gcp --tokeninfo http://127.0.0.1:9180/tokeninfo --service 127.0.0.1:5000 --readers vm@p --writers ci@p --port 5001"));
            Assert.That(GcpSandbox.Mlflow("/t/gcp-sandbox.dll", "/s/gcp", 5050).ToString(),
                Is.EqualTo("dotnet /t/gcp-sandbox.dll mlflow --state /s/gcp --port 5050"));
            Assert.That(GcpSandbox.ReadyLine("metadata", 9181), Is.EqualTo("metadata ready on http://127.0.0.1:9181"));
            Assert.That(SshKeygen.Create("/s/ssh/id_ed25519", "sandbox key").ToString(),
                Is.EqualTo("ssh-keygen -q -t ed25519 -N '' -C 'sandbox key' -f /s/ssh/id_ed25519"));
        }
    }
}
