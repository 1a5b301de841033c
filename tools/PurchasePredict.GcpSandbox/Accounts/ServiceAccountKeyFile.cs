using System.Security.Cryptography;
using System.Text.Json;

namespace PurchasePredict.GcpSandbox.Accounts;

/// <summary>
/// A service-account key file in the layout <c>gcloud iam service-accounts keys create</c> writes, field for
/// field and in the same order, so Google's client libraries read it as they read a real one. Only
/// <see cref="TokenUri"/> is used by them; the other URLs point at the sandbox too, so nothing ever
/// leads off the machine.
/// </summary>
public sealed record ServiceAccountKeyFile(
    string Type,
    string ProjectId,
    string PrivateKeyId,
    string PrivateKey,
    string ClientEmail,
    string ClientId,
    string AuthUri,
    string TokenUri,
    string AuthProviderX509CertUrl,
    string ClientX509CertUrl,
    string UniverseDomain)
{
    public const string ServiceAccountType = "service_account";

    public static ServiceAccountKeyFile For(ServiceAccount account, string keyId, RSA key, Uri tokenUri)
    {
        var issuer = new Uri(tokenUri, "/");
        return new ServiceAccountKeyFile(
            ServiceAccountType,
            account.ProjectId,
            keyId,
            key.ExportPkcs8PrivateKeyPem() + "\n",
            account.Email,
            account.ClientId,
            new Uri(issuer, "o/oauth2/auth").AbsoluteUri,
            tokenUri.AbsoluteUri,
            new Uri(issuer, "oauth2/v1/certs").AbsoluteUri,
            new Uri(issuer, "robot/v1/metadata/x509/" + Uri.EscapeDataString(account.Email)).AbsoluteUri,
            "googleapis.com");
    }

    public string ToJson() => JsonSerializer.Serialize(this, SandboxFiles.Default.ServiceAccountKeyFile);

    /// <summary>Reads a key file; the message of a failure names the file, never its content.</summary>
    public static ServiceAccountKeyFile Read(string path)
    {
        try
        {
            var key = JsonSerializer.Deserialize(File.ReadAllText(path), SandboxFiles.Default.ServiceAccountKeyFile);
            return key is { Type: ServiceAccountType, ClientEmail.Length: > 0, PrivateKey.Length: > 0, TokenUri.Length: > 0 }
                ? key
                : throw new UsageException($"{path} is not a service-account key file (type service_account, client_email, private_key, token_uri)");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path} is not JSON (line {e.LineNumber + 1})");
        }
        catch (IOException e)
        {
            throw new UsageException($"{path}: {e.Message}");
        }
    }
}
