namespace PurchasePredict.Pipeline.Tests;

// Golden strings: the exact docker command lines Image, Push and the sandbox run.
public class DockerTests
{
    [Test]
    public void DockerBuild_SortsBuildArgumentsAndLabels()
    {
        var command = Docker.Build("/a/publish", "/c/ops/Dockerfile", ["purchase_predict_api:1a2b3c4"],
            new Dictionary<string, string> { ["BASE_IMAGE"] = "base:1" },
            new Dictionary<string, string> { ["org.opencontainers.image.title"] = "purchase_predict_api", ["org.opencontainers.image.revision"] = "1a2b3c4d" });
        Assert.That(command.ToString(), Is.EqualTo(
            "docker build --network host --file /c/ops/Dockerfile --tag purchase_predict_api:1a2b3c4 --build-arg BASE_IMAGE=base:1 " +
            "--label org.opencontainers.image.revision=1a2b3c4d --label org.opencontainers.image.title=purchase_predict_api /a/publish"));
    }

    [Test]
    public void DockerPullAndSave_OfTheBase_RenderExactly()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Docker.Pull("mcr.microsoft.com/dotnet/runtime-deps:10.0@sha256:1").ToString(),
                Is.EqualTo("docker pull --quiet mcr.microsoft.com/dotnet/runtime-deps:10.0@sha256:1"));
            Assert.That(Docker.Save("sha256:f0f1", "/r/artifacts/base/f0f1.tar").ToString(),
                Is.EqualTo("docker save --output /r/artifacts/base/f0f1.tar sha256:f0f1"));
        }
    }

    [Test]
    public void DockerQueries_RenderExactly()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Docker.ServerVersion().ToString(), Is.EqualTo("docker info --format '{{.ServerVersion}}'"));
            Assert.That(Docker.Inspect("img:1", "{{.Id}}").ToString(), Is.EqualTo("docker image inspect --format '{{.Id}}' img:1"));
            Assert.That(Docker.Import("/a/rootfs.tar", "base:1").ToString(), Is.EqualTo("docker import /a/rootfs.tar base:1"));
            Assert.That(Docker.RemoveImages(["a:1", "b:2"]).ToString(), Is.EqualTo("docker image rm --force a:1 b:2"));
            Assert.That(Docker.ImagesOf("r/p/i").ToString(), Is.EqualTo("docker image ls --format '{{.ID}}' r/p/i"));
        }
    }

    [Test]
    public void DockerContainerCommands_RenderExactly()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(DockerContainer.Inspect("pp-vm1", "{{.State.Running}}").ToString(), Is.EqualTo("docker container inspect --format '{{.State.Running}}' pp-vm1"));
            Assert.That(DockerContainer.Exec("pp-vm1", "cat", "/x/holder").ToString(), Is.EqualTo("docker exec pp-vm1 cat /x/holder"));
            Assert.That(DockerContainer.Start("pp-vm1").ToString(), Is.EqualTo("docker start pp-vm1"));
            Assert.That(DockerContainer.Remove("pp-vm1").ToString(), Is.EqualTo("docker rm --force --volumes pp-vm1"));
            Assert.That(DockerContainer.RemoveVolume("pp-vm1-docker").ToString(), Is.EqualTo("docker volume rm --force pp-vm1-docker"));
            Assert.That(DockerContainer.Logs("purchase_predict_api", 30).ToString(), Is.EqualTo("docker logs --tail 30 purchase_predict_api"));
        }
    }
}
