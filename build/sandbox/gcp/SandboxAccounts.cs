#nullable enable
// The sandbox's GCP project and its two service accounts, as docs/gcp.md sets them up on GCP: the
// pipeline's (pushes images, uploads the model) and the VMs' (pulls images, reads the bucket). Fixed
// whatever --project names in the registry, because the stand-ins that know them are the machine's.
public static class SandboxAccounts
{
    public const string Project = "purchase-predict-sandbox";

    public const string Ci = "purchase-predict-ci";

    public const string Vm = "purchase-predict-vm";

    // The access scopes of the machine running the pipeline, and of every VM (docs/gcp.md: storage-ro
    // covers the registry pull and the bucket read, and nothing else).
    public const string CiScopes = "cloud-platform";

    public const string VmScopes = "storage-ro";

    public static string Email(string account) => $"{account}@{Project}.iam.gserviceaccount.com";
}
