namespace PurchasePredict.Pipeline.Tests;

public class VmContainerTests
{
    [Test]
    public void VmContainer_Run_UsesTheSystemdRecipeOnTheHostNetwork()
    {
        var line = VmContainer.Run("pp-vm1", "img:1", "img:1 /a/ssh", "/a/vms/pp-vm1", "/a/ssh", ["mlflow.sandbox.internal"]).ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(line, Does.StartWith("docker run --detach --name pp-vm1 --label 'purchase-predict.sandbox-vm=img:1 /a/ssh' --network host --cgroupns host"));
            Assert.That(line, Does.Contain("--volume pp-vm1-docker:/var/lib/docker"));
            Assert.That(line, Does.Contain("--tmpfs /run --tmpfs /run/lock"));
            Assert.That(line, Does.Contain("--hostname pp-vm1 --add-host pp-vm1:127.0.1.1 --add-host mlflow.sandbox.internal:127.0.0.1 --cap-add"));
            Assert.That(line, Does.Not.Contain("--privileged"));
            Assert.That(line, Does.EndWith("--volume /a/ssh/id_ed25519.pub:/home/deploy/.ssh/authorized_keys:ro img:1"));
        }
    }
}
