using PurchasePredict.GcpSandbox.OAuth;

namespace PurchasePredict.GcpSandbox.Registry;

/// <summary>One entry of a registry token's <c>access</c> claim: what may be done to one repository.</summary>
public sealed record RepositoryAccess(string Type, string Name, IReadOnlyList<string> Actions);

/// <summary>
/// Who may do what in the registry, as Artifact Registry decides it: readers pull, writers pull and push
/// (roles/artifactregistry.reader and .writer), and only with a token whose scopes allow it, as a VM's
/// access scopes cap what its account may do (storage-ro is enough to pull, as on GCP). Writers may also
/// delete (on GCP that takes roles/artifactregistry.repoAdmin): the sandbox's tests remove what they pushed.
/// </summary>
public sealed class RegistryAccess(IReadOnlyList<string> readers, IReadOnlyList<string> writers)
{
    private static readonly string[] PullScopes =
        [GoogleScopes.CloudPlatform, GoogleScopes.CloudPlatformReadOnly, GoogleScopes.StorageReadOnly, GoogleScopes.StorageReadWrite, GoogleScopes.StorageFullControl];

    private static readonly string[] PushScopes = [GoogleScopes.CloudPlatform, GoogleScopes.StorageReadWrite, GoogleScopes.StorageFullControl];

    /// <summary>What the account may do of what docker asked for (<c>repository:NAME:pull,push</c>); refused actions are left out.</summary>
    public IReadOnlyList<RepositoryAccess> Grant(string email, IReadOnlyList<string> scopes, IEnumerable<string> requested) =>
        requested.Select(Parse).OfType<RepositoryAccess>()
            .Select(asked => asked with { Actions = asked.Actions.Where(action => May(email, scopes, action)).ToList() })
            .ToList();

    private bool May(string email, IReadOnlyList<string> scopes, string action) => action switch
    {
        "pull" => (readers.Contains(email) || writers.Contains(email)) && scopes.Intersect(PullScopes).Any(),
        "push" or "delete" => writers.Contains(email) && scopes.Intersect(PushScopes).Any(),
        _ => false,
    };

    // repository:NAME:ACTIONS; NAME may hold slashes (and, for a registry with a port, nothing else here).
    private static RepositoryAccess? Parse(string scope)
    {
        var first = scope.IndexOf(':');
        var last = scope.LastIndexOf(':');
        return first > 0 && last > first && scope[..first] == "repository"
            ? new RepositoryAccess("repository", scope[(first + 1)..last], scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            : null;
    }
}
