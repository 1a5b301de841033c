using System.Diagnostics;

namespace PurchasePredict.GcpSandbox.Tests.Registry;

/// <summary>
/// Debian's docker-registry (distribution 2.8) on a free port of 127.0.0.1 (never the sandbox's 5000), its
/// data in a temporary folder, configured for token authentication against a gcp-sandbox registry-auth
/// with the sandbox's own configuration (build/sandbox/RegistryConfig.cs).
/// </summary>
internal sealed class DockerRegistry : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private DockerRegistry(Process process, string folder, string address)
    {
        _process = process;
        _folder = folder;
        Address = address;
    }

    /// <summary>host:port, the registry part of image names and the token's service.</summary>
    public string Address { get; }

    public static async Task<DockerRegistry> StartAsync(int port, Uri realm, string certificateBundle)
    {
        var folder = Directory.CreateTempSubdirectory("docker-registry-").FullName;
        var address = $"127.0.0.1:{port}";
        var config = Path.Combine(folder, "config.yml");
        await File.WriteAllTextAsync(config, RegistryConfig.Yaml(address, Path.Combine(folder, "data"), realm.AbsoluteUri, certificateBundle));
        var start = new ProcessStartInfo("docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new DockerRegistry(process, folder, address);
        using var http = new HttpClient();
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            try
            {
                // 401 from /v2/: up, and asking for a token.
                using var answer = await http.GetAsync($"http://{address}/v2/");
                return registry;
            }
            catch (HttpRequestException)
            {
            }
        }
        await registry.DisposeAsync();
        throw new InvalidOperationException($"docker-registry did not answer on {address} within 20 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
