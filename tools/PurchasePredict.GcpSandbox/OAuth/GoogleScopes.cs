namespace PurchasePredict.GcpSandbox.OAuth;

/// <summary>
/// The OAuth scopes the sandbox knows: those the pipeline, the service, docker and the VMs use. Google knows
/// many more; asking the sandbox for another one is refused as Google refuses a scope that does not exist.
/// </summary>
public static class GoogleScopes
{
    private const string Prefix = "https://www.googleapis.com/auth/";

    public const string CloudPlatform = Prefix + "cloud-platform";
    public const string CloudPlatformReadOnly = Prefix + "cloud-platform.read-only";
    public const string StorageReadOnly = Prefix + "devstorage.read_only";
    public const string StorageReadWrite = Prefix + "devstorage.read_write";
    public const string StorageFullControl = Prefix + "devstorage.full_control";

    /// <summary>gcloud's aliases (<c>gcloud compute instances create --scopes</c>) and what they stand for.</summary>
    private static readonly Dictionary<string, string> Aliases = new()
    {
        ["cloud-platform"] = CloudPlatform,
        ["storage-ro"] = StorageReadOnly,
        ["storage-rw"] = StorageReadWrite,
        ["storage-full"] = StorageFullControl,
        ["logging-write"] = Prefix + "logging.write",
        ["monitoring-write"] = Prefix + "monitoring.write",
        ["userinfo-email"] = Prefix + "userinfo.email",
    };

    private static readonly HashSet<string> Known =
        [.. Aliases.Values, CloudPlatformReadOnly, Prefix + "iam", Prefix + "compute", Prefix + "compute.readonly"];

    public static bool IsKnown(string scope) => Known.Contains(scope);

    /// <summary>A scope from its full URL or gcloud alias; an unknown one is a usage error naming it.</summary>
    public static string Resolve(string scopeOrAlias) =>
        Aliases.TryGetValue(scopeOrAlias, out var scope) ? scope
        : IsKnown(scopeOrAlias) ? scopeOrAlias
        : throw new UsageException($"unknown scope '{scopeOrAlias}' (use a scope URL or one of {string.Join(", ", Aliases.Keys)})");
}
