using Google.Apis.Auth.OAuth2;
using PurchasePredict.GcpSandbox.OAuth;

namespace PurchasePredict.GcpSandbox.Metadata;

/// <summary>
/// The VM's service account as its metadata server holds it: a key the VM never sees, exchanged at the
/// key's token_uri (the sandbox's token endpoint) by Google's own <see cref="ServiceAccountCredential"/>,
/// for the VM's access scopes, whatever a caller asks for (GCE's scopes cap every token).
/// </summary>
public sealed class VmServiceAccount
{
    private readonly ServiceAccountCredential _credential;

    public VmServiceAccount(string keyFile, IReadOnlyList<string> scopes)
    {
        Key = Accounts.ServiceAccountKeyFile.Read(keyFile);
        Scopes = scopes;
        _credential = (ServiceAccountCredential)CredentialFactory.FromFile<ServiceAccountCredential>(keyFile)
            .ToGoogleCredential().CreateScoped(scopes).UnderlyingCredential;
    }

    public Accounts.ServiceAccountKeyFile Key { get; }

    public IReadOnlyList<string> Scopes { get; }

    /// <summary>A token and the seconds it has left; the credential reuses it until shortly before it expires.</summary>
    public async Task<AccessTokenResponse> TokenAsync(CancellationToken cancel)
    {
        var token = await _credential.GetAccessTokenForRequestAsync(cancellationToken: cancel);
        var issued = _credential.Token;
        var left = issued.IssuedUtc + TimeSpan.FromSeconds(issued.ExpiresInSeconds ?? 0) - DateTime.UtcNow;
        return new AccessTokenResponse(token, Math.Max(0, (long)left.TotalSeconds), "Bearer");
    }
}
