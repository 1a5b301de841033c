using System.Net;
using Google;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Cloud.Storage.V1;
using PurchasePredict.Api.Settings;

namespace PurchasePredict.Api.Loading;

/// <summary>
/// Downloads a Cloud Storage object with Google.Cloud.Storage.V1, in three steps so a failure names its
/// cause: the credential (<see cref="GoogleCredentialSource"/>), a token from it (the metadata server's, or
/// for a key file the self-signed JWT the storage client uses), then the object.
/// </summary>
public sealed class GcsModelDownloader(StorageSettings settings)
{
    /// <summary>The object's bytes and generation: the pinned generation when the location names one, else the live one.</summary>
    public async Task<(byte[] Bytes, long? Generation)> DownloadAsync(GcsModel location, CancellationToken cancel)
    {
        var endpoint = settings.Endpoint?.AbsoluteUri.TrimEnd('/') ?? "https://storage.googleapis.com";
        var builder = new StorageClientBuilder { BaseUri = BaseUri(settings), UnauthenticatedAccess = settings.Anonymous };
        var source = GoogleCredentialSource.FromEnvironment();
        GoogleCredential? credential = null;
        if (!settings.Anonymous)
        {
            credential = await source.LoadAsync(cancel);
            builder.GoogleCredential = credential;
        }
        var client = await builder.BuildAsync(cancel);
        if (credential is not null) await FetchTokenAsync(client, location, source, credential, cancel);
        try
        {
            using var buffer = new MemoryStream();
            var options = new DownloadObjectOptions { Generation = location.Generation };
            var stored = await client.DownloadObjectAsync(location.Bucket, location.ObjectName, buffer, options, cancel);
            return (buffer.ToArray(), stored.Generation);
        }
        catch (GoogleApiException e)
        {
            var status = $"HTTP {(int)e.HttpStatusCode}";
            var said = e.Error?.Message is { Length: > 0 } message ? $": {message}" : "";
            throw new ModelLoadException(e.HttpStatusCode switch
            {
                HttpStatusCode.NotFound => $"{location}: no such {(location.Generation is null ? "object" : "object generation")} or bucket ({status})",
                HttpStatusCode.Unauthorized when credential is not null =>
                    $"{location}: Cloud Storage at {endpoint} refused {await source.DescribeAsync(credential)} ({status}{said}): {source.FixRefusal}",
                HttpStatusCode.Forbidden when credential is not null =>
                    $"{location}: {await source.DescribeAsync(credential)} may not read it ({status}{said}): {source.FixPermission(location.Bucket)}",
                _ => $"{location}: Cloud Storage at {endpoint} answered {status}{said}",
            }, e);
        }
        catch (HttpRequestException e)
        {
            throw new ModelLoadException($"{location}: Cloud Storage at {endpoint} does not answer: {e.Message}", e);
        }
    }

    /// <summary>
    /// The JSON API's root at STORAGE_ENDPOINT, where Google's is (storage/v1/); an emulator's host as
    /// Google's own emulator support gives it.
    /// </summary>
    private static string? BaseUri(StorageSettings settings) =>
        settings.Endpoint is not { } endpoint ? null
        : settings.Anonymous ? endpoint.AbsoluteUri
        : new Uri(endpoint, "storage/v1/").AbsoluteUri;

    /// <summary>
    /// Gets the token the storage client will send, through the client's own credential (so it is fetched
    /// once): a failure here is the credential's, not the bucket's.
    /// </summary>
    private static async Task FetchTokenAsync(StorageClient client, GcsModel location, GoogleCredentialSource source, GoogleCredential credential, CancellationToken cancel)
    {
        try
        {
            await ((ITokenAccess)client.Service.HttpClientInitializer).GetAccessTokenForRequestAsync(client.Service.BaseUri, cancel);
        }
        catch (TokenResponseException e)
        {
            throw new ModelLoadException(
                $"{location}: {await source.DescribeAsync(credential)} got no token ({e.Error.Error}: {e.Error.ErrorDescription}): {source.FixRefusal}", e);
        }
        catch (HttpRequestException e)
        {
            throw new ModelLoadException($"{location}: no token for {await source.DescribeAsync(credential)}: {e.Message}", e);
        }
    }
}
