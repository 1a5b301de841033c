using System.Formats.Tar;

namespace PurchasePredict.GcpSandbox.Tests.Registry;

/// <summary>
/// The real docker CLI and Debian's docker-registry behind <c>gcp-sandbox registry-auth</c>: a private
/// registry as Artifact Registry is one. Anonymous pushes and pulls are refused; <c>docker login -u
/// oauth2accesstoken --password-stdin</c> with a token the sandbox issued is accepted, and then the
/// account's role decides: the CI account pushes, the VM's account (its token from its metadata server,
/// as gcloud's credential helper gets it on a VM) only pulls. Uses the machine's shared Docker engine, so
/// it is an end-to-end test: run it under the sandbox lock.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class RegistryLoginTests
{
    private const string CloudPlatform = GoogleScopes.CloudPlatform;
    private SandboxProject _project = null!;
    private DockerRegistry _registry = null!;
    private string _ciToken = null!, _vmToken = null!, _outsiderToken = null!;
    private string _image = null!;
    private readonly List<DockerCli> _machines = [];

    [OneTimeSetUp]
    public async Task StartRegistry()
    {
        if (!File.Exists("/usr/bin/docker-registry")) Assert.Ignore("docker-registry is not installed (apt-get install docker-registry)");
        _project = await SandboxProject.StartAsync();
        _ciToken = await SandboxProject.AccessTokenAsync(await _project.CreateKeyAsync("purchase-predict-ci"), CloudPlatform);
        _outsiderToken = await SandboxProject.AccessTokenAsync(await _project.CreateKeyAsync("someone-outside"), CloudPlatform);
        var vm = await _project.StartMetadataAsync(await _project.CreateKeyAsync("purchase-predict-vm"), "storage-ro");
        _vmToken = await VmTokenAsync(vm);
        var port = FreePort.Next();
        var auth = await _project.StartRegistryAuthAsync($"127.0.0.1:{port}", [SandboxProject.Email("purchase-predict-vm")], [SandboxProject.Email("purchase-predict-ci")]);
        _registry = await DockerRegistry.StartAsync(port, new Uri(auth.Address, "token"), Path.Combine(_project.State, "registry-auth", "token-signer.crt"));
        _image = $"{_registry.Address}/purchase-predict-sandbox/purchase_predict_api:{Guid.NewGuid().ToString("N")[..12]}";
        var builder = Machine();
        var imported = await builder.RunAsync(TinyImage(), "import", "-", _image);
        Assert.That(imported.ExitCode, Is.Zero, imported.ToString());
    }

    [OneTimeTearDown]
    public async Task StopRegistry()
    {
        if (_image is not null) await Machine().RunAsync("rmi", "--force", _image);
        foreach (var machine in _machines) machine.Dispose();
        if (_registry is not null) await _registry.DisposeAsync();
        if (_project is not null) await _project.DisposeAsync();
    }

    private DockerCli Machine()
    {
        var machine = new DockerCli();
        _machines.Add(machine);
        return machine;
    }

    private static async Task<string> VmTokenAsync(StandInProcess metadata)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(metadata.Address, "computeMetadata/v1/instance/service-accounts/default/token"));
        request.Headers.Add("Metadata-Flavor", "Google");
        using var response = await http.SendAsync(request);
        return (string)System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!;
    }

    // One file in one layer: enough for docker to push and pull, built here since no public registry is reachable.
    private static byte[] TinyImage()
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, leaveOpen: true))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "hello.txt") { DataStream = new MemoryStream("registry login test\n"u8.ToArray()) });
        return tar.ToArray();
    }

    private async Task<DockerCli.Result> PushAsync(DockerCli machine) => await machine.RunAsync("push", _image);

    [Test, Order(1)]
    public async Task RegistryApi_Anonymous_Is401_PointingAtTheTokenService()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://{_registry.Address}/v2/");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized));
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer realm=").And.Contain($"service=\"{_registry.Address}\""));
        }
    }

    [Test, Order(1)]
    public async Task Push_WithoutLogin_IsRefused()
    {
        var push = await PushAsync(Machine());
        Assert.That(push.ExitCode, Is.Not.Zero, push.ToString());
        Assert.That(push.Output, Does.Contain("unauthorized").Or.Contain("no basic auth credentials").IgnoreCase);
    }

    [Test, Order(1)]
    public async Task Login_WithATokenTheSandboxDidNotIssue_IsRefused()
    {
        var login = await Machine().LoginAsync(_registry.Address, "ya29.a0AfH6SMB-made-up");
        Assert.That(login.ExitCode, Is.Not.Zero, login.ToString());
        Assert.That(login.Output, Does.Contain("401").Or.Contain("unauthorized").IgnoreCase);
        Assert.That(login.Output, Does.Not.Contain("ya29."));
    }

    [Test, Order(1)]
    public async Task Login_AsAnotherUserThanOauth2AccessToken_IsRefused()
    {
        var login = await Machine().RunAsync(System.Text.Encoding.UTF8.GetBytes(_ciToken), "login", "-u", "root", "--password-stdin", _registry.Address);
        Assert.That(login.ExitCode, Is.Not.Zero, login.ToString());
    }

    [Test, Order(2)]
    public async Task Push_AfterLoginWithTheCiAccountsToken_IsAccepted()
    {
        var ci = Machine();
        var login = await ci.LoginAsync(_registry.Address, _ciToken);
        Assert.That(login.ExitCode, Is.Zero, login.ToString());
        var push = await PushAsync(ci);
        Assert.That(push.ExitCode, Is.Zero, push.ToString());
        Assert.That(login.Output + push.Output, Does.Not.Contain("ya29."));
    }

    [Test, Order(3)]
    public async Task Pull_WithoutLogin_IsRefused()
    {
        var pull = await Machine().RunAsync("pull", _image);
        Assert.That(pull.ExitCode, Is.Not.Zero, pull.ToString());
        Assert.That(pull.Output, Does.Contain("unauthorized").Or.Contain("no basic auth credentials").IgnoreCase);
    }

    [Test, Order(3)]
    public async Task Pull_AfterLoginWithTheVmsToken_IsAccepted_ButItsPushIsDenied()
    {
        var vm = Machine();
        Assert.That((await vm.LoginAsync(_registry.Address, _vmToken)).ExitCode, Is.Zero);
        Assert.That((await vm.RunAsync("rmi", _image)).ExitCode, Is.Zero, "the image is local before the pull");
        var pull = await vm.RunAsync("pull", _image);
        var push = await PushAsync(vm);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pull.ExitCode, Is.Zero, pull.ToString());
            Assert.That(push.ExitCode, Is.Not.Zero, push.ToString());
            Assert.That(push.Output, Does.Contain("denied").Or.Contain("unauthorized").IgnoreCase);
        }
    }

    [Test, Order(3)]
    public async Task Pull_AfterLoginWithAnAccountWithoutRole_IsDenied()
    {
        var outsider = Machine();
        Assert.That((await outsider.LoginAsync(_registry.Address, _outsiderToken)).ExitCode, Is.Zero, "any valid Google token logs in, as with Artifact Registry");
        await outsider.RunAsync("rmi", _image);
        var pull = await outsider.RunAsync("pull", _image);
        Assert.That(pull.ExitCode, Is.Not.Zero, pull.ToString());
    }
}
