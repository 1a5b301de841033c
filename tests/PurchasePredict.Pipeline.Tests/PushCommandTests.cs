namespace PurchasePredict.Pipeline.Tests;

// Golden strings: the exact command lines the Push pipeline runs.
public class PushCommandTests
{
    [Test]
    public void GitLsRemote_Branch_AsksForThatBranchOnly() =>
        Assert.That(Git.LsRemoteBranch("https://example.com/r.git", "staging").ToString(),
            Is.EqualTo("git ls-remote --exit-code -- https://example.com/r.git refs/heads/staging"));

    [Test]
    public void GitLsRemote_Head_AsksForDefaultBranch() =>
        Assert.That(Git.LsRemoteBranch("/src/repo", "HEAD").ToString(),
            Is.EqualTo("git ls-remote --exit-code -- /src/repo HEAD"));

    [Test]
    public void GitClone_Branch_ClonesOnlyThatBranch() =>
        Assert.That(Git.Clone("/src/repo", "staging", "/a/clone").ToString(),
            Is.EqualTo("git clone --quiet --single-branch --branch staging -- /src/repo /a/clone"));

    [Test]
    public void GitClone_Head_ClonesDefaultBranch() =>
        Assert.That(Git.Clone("/src/repo", "HEAD", "/a/clone").ToString(),
            Is.EqualTo("git clone --quiet --single-branch -- /src/repo /a/clone"));

    [TestCase("rev", "git -C /c rev-parse --verify HEAD")]
    [TestCase("url", "git -C /c remote get-url origin")]
    [TestCase("status", "git -C /c status --porcelain --untracked-files=all --ignored=no")]
    public void GitQueries_RenderExactly(string which, string expected)
    {
        var command = which switch
        {
            "rev" => Git.RevParse("/c", "HEAD"),
            "url" => Git.RemoteUrl("/c"),
            _ => Git.Status("/c"),
        };
        Assert.That(command.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void DotNetTest_WritesTrxIntoResultsDirectory() =>
        Assert.That(DotNet.Test("/c/tests/A.Tests", "/a/test-results", "A.Tests.trx").ToString(),
            Is.EqualTo("dotnet test /c/tests/A.Tests --configuration Release --logger 'trx;LogFileName=A.Tests.trx' --results-directory /a/test-results"));

    [TestCase(PublishMode.Aot, null, "-p:PublishAot=true -p:TreatWarningsAsErrors=false")]
    [TestCase(PublishMode.Aot, "clang-14", "-p:PublishAot=true -p:TreatWarningsAsErrors=false -p:CppCompilerAndLinker=clang-14")]
    [TestCase(PublishMode.SelfContained, null, "--self-contained")]
    [TestCase(PublishMode.Trimmed, null, "--self-contained -p:PublishTrimmed=true -p:TreatWarningsAsErrors=false")]
    [TestCase(PublishMode.ReadyToRun, null, "--self-contained -p:PublishReadyToRun=true")]
    public void DotNetPublish_RendersEachMode(PublishMode mode, string? compiler, string flags) =>
        Assert.That(DotNet.Publish("src/Api", "/a/publish", mode, "linux-x64", compiler).ToString(),
            Is.EqualTo("dotnet publish src/Api --configuration Release --runtime linux-x64 --output /a/publish " + flags));

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
    public void DockerTagAndPush_RenderExactly()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Docker.Tag("purchase_predict_api:1a2b3c4", "gcr.io/acme-prod/purchase_predict_api:1a2b3c4").ToString(),
                Is.EqualTo("docker tag purchase_predict_api:1a2b3c4 gcr.io/acme-prod/purchase_predict_api:1a2b3c4"));
            Assert.That(Docker.Push("gcr.io/acme-prod/purchase_predict_api:1a2b3c4").ToString(),
                Is.EqualTo("docker push gcr.io/acme-prod/purchase_predict_api:1a2b3c4"));
        }
    }

    [Test]
    public void DockerLogin_PasswordGoesToStdinAndNeverShows()
    {
        var command = Docker.Login("https://europe-west1-docker.pkg.dev", "oauth2accesstoken", new Secret("ya29.token"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(command.ToString(), Is.EqualTo("docker login --username oauth2accesstoken --password-stdin https://europe-west1-docker.pkg.dev"));
            Assert.That(command.ArgumentValues(), Has.None.Contains("ya29"));
            Assert.That(command.StandardInput?.Value, Is.EqualTo("ya29.token"));
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
    public void SandboxCommands_RenderExactly()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Apt.Install(["docker.io", "debootstrap"]).ToString(),
                Is.EqualTo("apt-get install --yes --quiet --quiet --no-install-recommends docker.io debootstrap"));
            Assert.That(Daemon.Start("/s/r.pid", "/s/r.log", "/usr/bin/docker-registry", ["serve", "/s/c.yml"]).ToString(),
                Is.EqualTo("start-stop-daemon --start --background --make-pidfile --pidfile /s/r.pid --output /s/r.log --exec /usr/bin/docker-registry -- serve /s/c.yml"));
            Assert.That(Daemon.Stop("/s/r.pid").ToString(),
                Is.EqualTo("start-stop-daemon --stop --oknodo --remove-pidfile --retry TERM/10/KILL/5 --pidfile /s/r.pid"));
            Assert.That(Debootstrap.Create("bookworm", "/s/rootfs", "http://deb.debian.org/debian", ["ca-certificates", "libssl3"]).ToString(),
                Is.EqualTo("debootstrap --variant=minbase --include=ca-certificates,libssl3 bookworm /s/rootfs http://deb.debian.org/debian"));
            Assert.That(Debootstrap.Pack("/s/rootfs", "/s/rootfs.tar").ToString(), Does.StartWith("tar --create --file /s/rootfs.tar --directory /s/rootfs --exclude=./usr/share/doc").And.EndWith(" ."));
        }
    }

    [Test]
    public void DryRunRunner_LogsCommandAndStartsNothing()
    {
        var logged = new List<string>();
        var marker = Path.Combine(Path.GetTempPath(), "dry-run-" + Guid.NewGuid());
        var result = new CommandRunner(logged.Add) { DryRun = true }.Run(ShellCommand.Of("touch", marker));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(logged, Is.EqualTo(new[] { "[dry run] touch " + marker }));
            Assert.That(File.Exists(marker), Is.False);
        }
    }
}
