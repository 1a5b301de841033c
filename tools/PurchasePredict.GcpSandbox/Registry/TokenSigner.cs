using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using PurchasePredict.GcpSandbox.OAuth;

namespace PurchasePredict.GcpSandbox.Registry;

/// <summary>
/// The key that signs registry tokens, and its self-signed certificate, which the registry trusts
/// (distribution's <c>auth.token.rootcertbundle</c>). Made on first start in <c>STATE/registry-auth/</c>:
/// <c>token-signer.key</c> (never leaves that folder, mode 0600) and <c>token-signer.crt</c>. Each token
/// carries the certificate in its <c>x5c</c> header, which is how distribution 2.8 finds the key.
/// </summary>
public sealed class TokenSigner : IDisposable
{
    private readonly RSA _key;
    private readonly string _certificate;

    private TokenSigner(RSA key, X509Certificate2 certificate)
    {
        _key = key;
        _certificate = Convert.ToBase64String(certificate.RawData);
        CertificatePem = certificate.ExportCertificatePem();
    }

    public string CertificatePem { get; }

    public static string CertificatePath(string stateDirectory) => Path.Combine(stateDirectory, "registry-auth", "token-signer.crt");

    public static TokenSigner Open(string stateDirectory)
    {
        var folder = Path.Combine(stateDirectory, "registry-auth");
        var keyFile = Path.Combine(folder, "token-signer.key");
        var certificateFile = CertificatePath(stateDirectory);
        Directory.CreateDirectory(folder);
        if (!File.Exists(keyFile) || !File.Exists(certificateFile)) Create(keyFile, certificateFile);
        var key = RSA.Create();
        key.ImportFromPem(File.ReadAllText(keyFile));
        return new TokenSigner(key, X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile)));
    }

    public string Sign(JsonObject claims) => SignedJwt.Sign(new JsonObject { ["x5c"] = new JsonArray(_certificate) }, claims, _key);

    private static void Create(string keyFile, string certificateFile)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=gcp-sandbox registry token signer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(new FileStream(keyFile, options))) writer.Write(key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
    }

    public void Dispose() => _key.Dispose();
}
