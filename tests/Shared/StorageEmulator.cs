using System.Net.Http.Headers;

/// <summary>
/// Google's Cloud Storage emulator (firebase-tools' StorageEmulator, started by
/// tools/storage-emulator/start.sh) on a free port of 127.0.0.1: open, or private behind its token check.
/// Tests using it are ignored, with the reason, only when node is not installed; any other failure to
/// start fails them.
/// </summary>
internal sealed class StorageEmulator : IAsyncDisposable
{
    // The first start installs firebase-tools into the cache (minutes on a slow registry).
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(8);

    private readonly StandInProcess _process;
    private readonly HttpClient _http;

    private StorageEmulator(StandInProcess process)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = process.Address };
    }

    public Uri Address => _process.Address;

    /// <summary>The value for STORAGE_EMULATOR_HOST.</summary>
    public string Host => Address.Authority;

    public IReadOnlyList<string> Output => _process.Output;

    /// <summary>Starts it; <paramref name="gate"/> is start.sh's <c>--tokeninfo URL --readers ... --writers ...</c>, if any.</summary>
    public static async Task<StorageEmulator> StartAsync(params string[] gate)
    {
        if (!IsOnPath("node")) Assert.Ignore("node is not installed, so the Cloud Storage emulator cannot run (apt-get install -y nodejs npm)");
        var process = await StandInProcess.StartAsync("bash", [TestRepository.StorageEmulatorScript, FreePort.Next().ToString(), .. gate], StartTimeout);
        return new StorageEmulator(process);
    }

    /// <summary>Uploads an object the way tools/storage-emulator/README.md shows with curl (JSON API media upload).</summary>
    public async Task UploadAsync(string bucket, string objectName, byte[] content, string? token = null)
    {
        using var response = await SendUploadAsync(bucket, objectName, content, token);
        Assert.That(response.IsSuccessStatusCode, Is.True, $"upload to the emulator: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<HttpResponseMessage> SendUploadAsync(string bucket, string objectName, byte[] content, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"upload/storage/v1/b/{Uri.EscapeDataString(bucket)}/o?uploadType=media&name={Uri.EscapeDataString(objectName)}")
        {
            Content = new ByteArrayContent(content),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    private static bool IsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Any(dir => File.Exists(Path.Combine(dir, program)));

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }
}
