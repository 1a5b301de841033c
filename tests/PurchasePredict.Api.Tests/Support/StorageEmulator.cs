using System.Diagnostics;
using System.Net.Http.Headers;

namespace PurchasePredict.Api.Tests.Support;

/// <summary>
/// Google's Cloud Storage emulator (firebase-tools' StorageEmulator, started by
/// tools/storage-emulator/start.sh) on a free port of 127.0.0.1. Tests using it are ignored,
/// with the reason, only when node is not installed; any other failure to start fails them.
/// </summary>
public sealed class StorageEmulator : IAsyncDisposable
{
    // The first start installs firebase-tools into the cache (minutes on a slow registry).
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(8);

    private readonly Process _process;
    private readonly HttpClient _http;

    private StorageEmulator(Process process, int port)
    {
        _process = process;
        Port = port;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    public int Port { get; }

    /// <summary>The value for STORAGE_EMULATOR_HOST.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public static async Task<StorageEmulator> StartAsync()
    {
        if (!IsOnPath("node")) Assert.Ignore("node is not installed, so the Cloud Storage emulator cannot run (apt-get install -y nodejs npm)");
        var port = FreePort.Next();
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Repo.StorageEmulatorScript);
        start.ArgumentList.Add(port.ToString());
        var process = Process.Start(start)!;
        var emulator = new StorageEmulator(process, port);
        var stderr = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(StartTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
                if (line.StartsWith("storage emulator ready", StringComparison.Ordinal)) return emulator;
        }
        catch (OperationCanceledException)
        {
        }
        await emulator.DisposeAsync();
        throw new InvalidOperationException($"storage emulator did not start: {string.Join(" | ", stderr)}");
    }

    /// <summary>Uploads an object the way tools/storage-emulator/README.md shows with curl (JSON API media upload).</summary>
    public async Task UploadAsync(string bucket, string objectName, byte[] content)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await _http.PostAsync(
            $"upload/storage/v1/b/{Uri.EscapeDataString(bucket)}/o?uploadType=media&name={Uri.EscapeDataString(objectName)}", body);
        Assert.That(response.IsSuccessStatusCode, Is.True, $"upload to the emulator: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task ResetAsync()
    {
        using var response = await _http.PostAsync("internal/reset", null);
        response.EnsureSuccessStatusCode();
    }

    private static bool IsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Any(dir => File.Exists(Path.Combine(dir, program)));

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
