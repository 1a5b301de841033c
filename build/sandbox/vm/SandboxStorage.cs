#nullable enable
using System.Net.Http;

// The sandbox's Cloud Storage: the emulator from tools/storage-emulator on 127.0.0.1:<port>, holding the
// demo model at the gs:// URI the sandbox env file names. The emulator keeps objects in memory, so the
// model is uploaded again on every run (it is small).
public sealed class SandboxStorage(CommandRunner runner, BuildPaths paths, SandboxVmSettings settings, Action<string> log)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private string PidFile => System.IO.Path.Combine(paths.SandboxHome, "storage-emulator.pid");

    private string LogFile => System.IO.Path.Combine(paths.SandboxHome, "storage-emulator.log");

    private string BaseUrl => $"http://127.0.0.1:{settings.StoragePort}";

    // Any HTTP answer means it serves. Read-only and on 127.0.0.1: a dry run asks too.
    public bool IsUp()
    {
        try
        {
            using var response = Http.GetAsync(BaseUrl + "/storage/v1/b").GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public void EnsureUp()
    {
        if (!IsUp())
        {
            var tools = new HostTools(runner);
            tools.Require("node", "nodejs");
            tools.Require("npm", "npm");
            runner.Do($"create {paths.SandboxHome}", () => System.IO.Directory.CreateDirectory(paths.SandboxHome));
            runner.Run(Daemon.Start(PidFile, LogFile, "/bin/bash",
                [paths.StorageEmulator, settings.StoragePort.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
            // The first start installs firebase-tools from npm (minutes); later ones take about a second.
            if (!runner.WaitUntil($"the storage emulator answers on {BaseUrl}", () => IsUp(), TimeSpan.FromMinutes(8), TimeSpan.FromMilliseconds(250)))
            {
                throw new InvalidOperationException($"The storage emulator did not answer on {BaseUrl}; see {LogFile}.");
            }
        }
        runner.Do($"upload {settings.ModelFile} to {settings.ModelUri}", Upload);
        log($"Storage emulator: {BaseUrl}, model at {settings.ModelUri}.");
    }

    public void Down() => runner.Run(Daemon.Stop(PidFile));

    private void Upload()
    {
        var url = $"{BaseUrl}/upload/storage/v1/b/{settings.Bucket}/o?uploadType=media&name={Uri.EscapeDataString(settings.ModelObject)}";
        using var content = new ByteArrayContent(System.IO.File.ReadAllBytes(settings.ModelFile));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        HttpResponseMessage response;
        try
        {
            response = Http.PostAsync(url, content).GetAwaiter().GetResult();
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"Uploading {settings.ModelFile} to {settings.ModelUri} failed: {e.Message} (the emulator's log: {LogFile}).");
        }
        using var _ = response;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"Uploading {settings.ModelFile} to {settings.ModelUri} failed: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }
    }
}
