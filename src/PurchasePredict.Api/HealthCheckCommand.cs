using PurchasePredict.Api.Settings;

namespace PurchasePredict.Api;

/// <summary>
/// <c>purchase_predict_api --healthcheck</c>: exit 0 when GET http://127.0.0.1:$PORT/health/ready
/// answers 200, else 1. The Dockerfile's HEALTHCHECK uses it because the image has no curl.
/// </summary>
public static class HealthCheckCommand
{
    public const string Flag = "--healthcheck";

    public static async Task<int> RunAsync()
    {
        var portText = Environment.GetEnvironmentVariable("PORT");
        var port = ApiSettings.DefaultPort;
        if (!string.IsNullOrWhiteSpace(portText) && !PortNumber.TryParse(portText, out port))
        {
            await Console.Error.WriteLineAsync($"healthcheck: PORT='{portText}' is not a port");
            return 1;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{port}/health/ready");
            if (response.IsSuccessStatusCode) return 0;
            await Console.Error.WriteLineAsync($"healthcheck: /health/ready answered {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"healthcheck: no answer on 127.0.0.1:{port}: {e.Message}");
        }
        return 1;
    }
}
