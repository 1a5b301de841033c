using System.Diagnostics;
using System.Text;
using System.Text.Json;

// Compiled into the test projects that scrape the service (no namespace, so every project sees it as its own).
/// <summary>
/// A real Prometheus (Debian's package) on 127.0.0.1 with a temporary configuration and data directory, scraping
/// its targets (job <c>purchase_predict</c>) every second; killed and its files deleted on dispose.
/// </summary>
internal sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();
    private readonly HttpClient _http;

    private PrometheusProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public static async Task<PrometheusProcess> StartAsync(params int[] targetPorts)
    {
        var directory = Directory.CreateTempSubdirectory("pp-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $$"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: purchase_predict
                static_configs:
                  - targets: [{{string.Join(", ", targetPorts.Select(port => $"\"127.0.0.1:{port}\""))}}]
            """);
        var port = FreePort.Next();
        var start = new ProcessStartInfo("prometheus",
        [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start (Debian package prometheus)");
        var prometheus = new PrometheusProcess(process, directory, port);
        process.OutputDataReceived += (_, line) => prometheus.Append(line.Data);
        process.ErrorDataReceived += (_, line) => prometheus.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return prometheus;
    }

    private void Append(string? line)
    {
        lock (_log) _log.AppendLine(line);
    }

    public string Log()
    {
        lock (_log) return _log.ToString();
    }

    /// <summary>An instant query's single value (as Prometheus writes it), or null while it has none (or is not up yet).</summary>
    public async Task<string?> QueryAsync(string query)
    {
        try
        {
            using var answer = await _http.GetAsync($"api/v1/query?query={Uri.EscapeDataString(query)}");
            if (!answer.IsSuccessStatusCode) return null;
            using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            var result = json.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1 ? result[0].GetProperty("value")[1].GetString() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
