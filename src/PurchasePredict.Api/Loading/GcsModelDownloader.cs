using Google;
using Google.Api.Gax;
using Google.Cloud.Storage.V1;

namespace PurchasePredict.Api.Loading;

/// <summary>
/// Downloads a Cloud Storage object with Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS,
/// or the VM's service account). With STORAGE_EMULATOR_HOST set it talks only to that emulator.
/// </summary>
public static class GcsModelDownloader
{
    public static async Task<byte[]> DownloadAsync(GcsModel location, CancellationToken cancel)
    {
        var useEmulator = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("STORAGE_EMULATOR_HOST"));
        try
        {
            var client = await new StorageClientBuilder
            {
                EmulatorDetection = useEmulator ? EmulatorDetection.EmulatorOnly : EmulatorDetection.None,
            }.BuildAsync(cancel);
            using var buffer = new MemoryStream();
            await client.DownloadObjectAsync(location.Bucket, location.ObjectName, buffer, cancellationToken: cancel);
            return buffer.ToArray();
        }
        catch (GoogleApiException e)
        {
            var why = e.HttpStatusCode == System.Net.HttpStatusCode.NotFound ? "no such object or bucket" : e.Error?.Message ?? e.Message;
            throw new ModelLoadException($"{location}: {why} (HTTP {(int)e.HttpStatusCode})", e);
        }
        catch (InvalidOperationException e)
        {
            // No Application Default Credentials, or a bad emulator setting.
            throw new ModelLoadException($"{location}: {OneLine(e.Message)}", e);
        }
        catch (HttpRequestException e)
        {
            throw new ModelLoadException($"{location}: {OneLine(e.Message)}", e);
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
