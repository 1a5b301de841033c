using System.Security.Cryptography;

namespace PurchasePredict.GcpSandbox.Accounts;

/// <summary>
/// <c>create-key --state DIR --account EMAIL --token-uri URL --out FILE</c>: what
/// <c>gcloud iam service-accounts keys create FILE --iam-account=EMAIL</c> does (creating the account on
/// first use): a new 2048-bit RSA key, the key file written once and readable by its owner only, then its
/// public half registered with the sandbox's token endpoint. An existing FILE is never overwritten.
/// </summary>
public static class CreateKeyCommand
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string> { "state", "account", "token-uri", "out" };

    public static int Run(Options options)
    {
        var store = new AccountStore(options.Required("state"));
        var email = options.Required("account");
        var tokenUri = options.Url("token-uri");
        var output = Path.GetFullPath(options.Required("out"));
        if (!Directory.Exists(Path.GetDirectoryName(output))) throw new UsageException($"{Path.GetDirectoryName(output)} does not exist");

        var account = store.Ensure(email);
        using var rsa = RSA.Create(2048);
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        WriteOnce(output, ServiceAccountKeyFile.For(account, keyId, rsa, tokenUri).ToJson());
        try
        {
            store.AddKey(email, new PublicKey(keyId, rsa.ExportSubjectPublicKeyInfoPem()));
        }
        catch
        {
            File.Delete(output);
            throw;
        }
        Console.WriteLine($"created key {keyId} for {email} in {output}");
        return 0;
    }

    private static void WriteOnce(string path, string text)
    {
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new FileStream(path, options);
            using var writer = new StreamWriter(file);
            writer.Write(text);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new UsageException($"{path} exists; a key file is never overwritten");
        }
    }
}
