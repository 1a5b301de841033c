using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace PurchasePredict.GcpSandbox.Accounts;

/// <summary>
/// A service account of the sandbox's project as the token endpoint knows it: its email, the numeric
/// client id Google gives it, and the public half of each key (the private half exists only in the key
/// file handed out, as with Google).
/// </summary>
public sealed record ServiceAccount(string Email, string ProjectId, string ClientId, IReadOnlyList<PublicKey> Keys)
{
    public const string EmailDomain = ".iam.gserviceaccount.com";

    // Account and project ids: 6 to 30 lowercase letters, digits and hyphens, starting with a letter,
    // not ending with a hyphen (gcloud's rules).
    private static readonly Regex EmailPattern = new(@"^([a-z][a-z0-9-]{4,28}[a-z0-9])@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$");

    public static bool IsEmail(string text) => EmailPattern.IsMatch(text);

    public static ServiceAccount New(string email)
    {
        var match = EmailPattern.Match(email);
        if (!match.Success)
            throw new UsageException($"'{email}' is not a service-account email (NAME@PROJECT{EmailDomain}, NAME and PROJECT 6 to 30 of a-z, 0-9, -)");
        // Google's client ids are 21 digits.
        var clientId = "1" + string.Concat(Enumerable.Range(0, 20).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));
        return new ServiceAccount(email, match.Groups[2].Value, clientId, []);
    }

    public ServiceAccount WithKey(PublicKey key) => this with { Keys = [.. Keys, key] };

    public PublicKey? Key(string keyId) => Keys.FirstOrDefault(k => k.PrivateKeyId == keyId);
}

/// <summary>A key's id (<c>private_key_id</c>, the JWT header's <c>kid</c>) and its public key (SubjectPublicKeyInfo PEM).</summary>
public sealed record PublicKey(string PrivateKeyId, string PublicKeyPem)
{
    public RSA ToRsa()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(PublicKeyPem);
        return rsa;
    }
}
