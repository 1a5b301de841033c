#nullable enable
using System.Globalization;
using System.Net.Http;

// The sandbox's Cloud Storage: the emulator from tools/storage-emulator on 127.0.0.1:<port>, private as
// the model's bucket is on GCP (the VMs' account reads, the pipeline's account writes, anonymous requests
// get 401), holding the demo model in the MLflow artifact folder the sandbox's MLflow points at. The
// emulator keeps objects in memory, so the model is uploaded again on every run (it is small), with a
// token of the pipeline's account.
public sealed class SandboxStorage(CommandRunner runner, BuildPaths paths, SandboxSettings sandbox, SandboxVmSettings settings, SandboxGcp gcp, Action<string> log)
{
    // The pid file and log where every checkout's sandbox keeps them.
    private SandboxDaemon Emulator => new(runner, "storage emulator",
        System.IO.Path.Combine(paths.SandboxHome, "storage-emulator.pid"), System.IO.Path.Combine(paths.SandboxHome, "storage-emulator.log"));

    private string BaseUrl => $"http://127.0.0.1:{settings.StoragePort.ToString(CultureInfo.InvariantCulture)}";

    // Up = the bucket refuses an anonymous read. An open emulator (an older checkout's) is replaced.
    public bool IsUp() => LocalHttp.Get($"{BaseUrl}/storage/v1/b/{settings.Bucket}/o") is { Status: 401 };

    public void EnsureUp()
    {
        if (!IsUp())
        {
            var tools = new HostTools(runner);
            tools.Require("node", "nodejs");
            tools.Require("npm", "npm");
            var emulator = Emulator;
            // The first start installs firebase-tools from npm (minutes); later ones take about a second.
            emulator.Start(ShellCommand.Of("bash", paths.StorageEmulator, settings.StoragePort.ToString(CultureInfo.InvariantCulture),
                    "--tokeninfo", sandbox.TokenInfo,
                    "--readers", SandboxAccounts.Email(SandboxAccounts.Vm), "--writers", SandboxAccounts.Email(SandboxAccounts.Ci)),
                () => emulator.Logged($"storage emulator ready on {BaseUrl}"), TimeSpan.FromMinutes(8));
        }
        runner.Do($"upload {settings.ModelFile} to {settings.ModelUri} as {SandboxAccounts.Email(SandboxAccounts.Ci)}", Upload);
        log($"Storage emulator: {BaseUrl}, private, model at {settings.ModelUri}.");
    }

    public void Down() => Emulator.Stop();

    private void Upload()
    {
        var url = $"{BaseUrl}/upload/storage/v1/b/{settings.Bucket}/o?uploadType=media&name={Uri.EscapeDataString(settings.ModelObject)}";
        var content = new ByteArrayContent(System.IO.File.ReadAllBytes(settings.ModelFile));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        var answer = LocalHttp.Send(new HttpRequestMessage(HttpMethod.Post, url) { Content = content }, ("Authorization", "Bearer " + gcp.CiToken().Value));
        if (answer is not { Status: 200 })
        {
            throw new InvalidOperationException(
                $"Uploading {settings.ModelFile} to {settings.ModelUri} failed: {(answer is null ? "no answer" : $"{answer.Status} {answer.Body.Trim()}")} (the emulator's log: {Emulator.LogFile}).");
        }
    }
}
