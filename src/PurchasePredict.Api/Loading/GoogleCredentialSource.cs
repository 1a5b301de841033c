using System.Security.Cryptography;
using System.Text.Json;
using Google.Apis.Auth.OAuth2;

namespace PurchasePredict.Api.Loading;

/// <summary>
/// Where the service's Google credential comes from, decided as Google.Apis.Auth decides it: the key file
/// named by GOOGLE_APPLICATION_CREDENTIALS (the tutorial's "server outside the project"), else Application
/// Default Credentials, on a VM its service account through the metadata server (GCE_METADATA_HOST, or
/// 169.254.169.254). Each failure becomes one line naming the credential and what to fix; no message
/// holds a token or any of the key file's content.
/// </summary>
public abstract record GoogleCredentialSource
{
    public static GoogleCredentialSource FromEnvironment() =>
        Environment.GetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS") is { Length: > 0 } keyFile
            ? new KeyFileCredential(keyFile)
            : new ApplicationDefaultCredential(Environment.GetEnvironmentVariable("GCE_METADATA_HOST") is { Length: > 0 } host ? host : null);

    public abstract Task<GoogleCredential> LoadAsync(CancellationToken cancel);

    /// <summary>The credential in a message: whose it is and where it came from.</summary>
    public abstract Task<string> DescribeAsync(GoogleCredential credential);

    /// <summary>What to do when the token is refused (by the token source, or by Cloud Storage).</summary>
    public abstract string FixRefusal { get; }

    /// <summary>What to do when the credential is valid but may not read the bucket.</summary>
    public abstract string FixPermission(string bucket);

    protected static string OneLine(string text) => text.ReplaceLineEndings(" ");
}

/// <summary>A service-account key file (GOOGLE_APPLICATION_CREDENTIALS).</summary>
public sealed record KeyFileCredential(string Path) : GoogleCredentialSource
{
    private string Setting => $"GOOGLE_APPLICATION_CREDENTIALS={Path}";

    private const string NewKey = "create a new key (gcloud iam service-accounts keys create) and mount it there";

    public override async Task<GoogleCredential> LoadAsync(CancellationToken cancel)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(Path, cancel);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelLoadException($"{Setting}: no such file; mount the service-account key file there (read-only), or unset GOOGLE_APPLICATION_CREDENTIALS to use the VM's service account");
        }
        catch (UnauthorizedAccessException)
        {
            throw new ModelLoadException($"{Setting}: this process ({Environment.UserName}) may not read it; make the key file readable by the service's user");
        }
        catch (IOException e)
        {
            throw new ModelLoadException($"{Setting}: {OneLine(e.Message)}");
        }
        var type = CredentialType(text);
        try
        {
            // The same call the storage client would make: Google reads the file again and picks its parser by "type".
            return await GoogleCredential.GetApplicationDefaultAsync(cancel);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or CryptographicException or ArgumentException or NotSupportedException)
        {
            throw new ModelLoadException($"{Setting} is not a usable {type} credential ({OneLine(e.Message)}): {NewKey}");
        }
    }

    /// <summary>The file's "type"; the parser's position only, never its message, which could quote the key.</summary>
    private string CredentialType(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.ValueKind == JsonValueKind.Object
                   && json.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                ? type.GetString()!
                : throw new ModelLoadException($"{Setting} has no \"type\": it is not a Google credential file; {NewKey}");
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"{Setting} is not JSON (line {e.LineNumber + 1}): give the key file as gcloud wrote it, or {NewKey}");
        }
    }

    public override Task<string> DescribeAsync(GoogleCredential credential) =>
        Task.FromResult(credential.UnderlyingCredential is ServiceAccountCredential account
            ? $"key {account.KeyId} of {account.Id} ({Setting})"
            : $"the credential in {Setting}");

    public override string FixRefusal => $"the key was deleted or disabled, or is not that account's: {NewKey}";

    public override string FixPermission(string bucket) => $"grant the account roles/storage.objectViewer on gs://{bucket}";
}

/// <summary>Application Default Credentials: on a VM, its service account through the metadata server.</summary>
public sealed record ApplicationDefaultCredential(string? MetadataHost) : GoogleCredentialSource
{
    private string MetadataServer => MetadataHost is null ? "the metadata server 169.254.169.254" : $"the metadata server {MetadataHost} (GCE_METADATA_HOST)";

    public override async Task<GoogleCredential> LoadAsync(CancellationToken cancel)
    {
        try
        {
            return await GoogleCredential.GetApplicationDefaultAsync(cancel);
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("Your default credentials were not found", StringComparison.Ordinal))
        {
            throw new ModelLoadException(
                $"no Google credential found: GOOGLE_APPLICATION_CREDENTIALS is not set and {MetadataServer} does not answer; run on a GCP VM with a service account, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file");
        }
        catch (InvalidOperationException e)
        {
            throw new ModelLoadException($"Application Default Credentials failed: {OneLine(e.Message)}");
        }
    }

    public override async Task<string> DescribeAsync(GoogleCredential credential)
    {
        if (credential.UnderlyingCredential is not ComputeCredential vm) return $"the Application Default Credentials ({credential.UnderlyingCredential.GetType().Name})";
        try
        {
            return $"{await vm.GetDefaultServiceAccountEmailAsync()} (the VM's service account, from {MetadataServer})";
        }
        catch (HttpRequestException)
        {
            return $"the VM's service account (from {MetadataServer})";
        }
    }

    public override string FixRefusal => $"check that the VM has a service account (gcloud compute instances set-service-account) and that {MetadataServer} is the VM's";

    public override string FixPermission(string bucket) =>
        $"grant the account roles/storage.objectViewer on gs://{bucket}, and give the VM the storage-ro or cloud-platform access scope";
}
