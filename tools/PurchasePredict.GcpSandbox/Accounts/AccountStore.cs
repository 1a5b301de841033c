using System.Text.Json;

namespace PurchasePredict.GcpSandbox.Accounts;

/// <summary>
/// The project's service accounts, one JSON file each under <c>STATE/service-accounts/</c>. Files are read on
/// every look-up, so a key created while the token endpoint runs is known at once; each change is written
/// to a temporary file and renamed, under a lock, so a reader never sees half a file.
/// </summary>
public sealed class AccountStore(string stateDirectory)
{
    private string Folder => Path.Combine(stateDirectory, "service-accounts");

    private string FileOf(string email) => Path.Combine(Folder, email + ".json");

    public ServiceAccount? Find(string email)
    {
        // Only well-formed emails can name a file here: no path tricks through a JWT's iss.
        if (!ServiceAccount.IsEmail(email)) return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(FileOf(email)), SandboxFiles.Default.ServiceAccount);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The account, created (with no key) if it does not exist yet.</summary>
    public ServiceAccount Ensure(string email) => Update(email, account => account);

    public ServiceAccount AddKey(string email, PublicKey key) => Update(email, account => account.WithKey(key));

    private ServiceAccount Update(string email, Func<ServiceAccount, ServiceAccount> change)
    {
        var created = ServiceAccount.New(email);
        Directory.CreateDirectory(Folder);
        using var _ = Lock();
        var account = change(Find(email) ?? created);
        var temporary = FileOf(email) + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(account, SandboxFiles.Default.ServiceAccount));
        File.Move(temporary, FileOf(email), overwrite: true);
        return account;
    }

    // .NET takes FileShare.None as a non-blocking flock: another create-key holding it makes this one wait.
    private FileStream Lock()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(Folder, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }
}
