#nullable enable
using System.Linq;
using System.Text.RegularExpressions;

// The Google credentials the service and docker use on a VM, as on GCP: the VM's service account through
// its metadata server (GCE_METADATA_HOST names a non-default one: the sandbox's VMs each have their own),
// or a service-account key file placed on the VM, mounted read-only into the container and named by
// GOOGLE_APPLICATION_CREDENTIALS (the tutorial's server outside the project). Never a key in the image.
public static class VmCredentials
{
    // GCE's metadata server, where Google's libraries and docker's credential helpers look when nothing says otherwise.
    public const string GceMetadataServer = "169.254.169.254";

    // Where the container finds the key file: a bind mount, read-only.
    public const string ContainerKeyPath = "/run/secrets/google-credentials.json";

    // The user the service runs as in the container (ops/Dockerfile's USER): it must be able to read the key.
    public const string ContainerUser = "1654";

    public static bool IsMetadataHost(string value) =>
        Regex.Match(value, "^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:(?<port>[0-9]{1,5}))?$") is { Success: true } match
        && (!match.Groups["port"].Success || PortNumber.IsValid(int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture)));

    public static string MetadataServerFor(DeployHost host) => host.MetadataServer ?? GceMetadataServer;

    // A path on the VM: absolute, and nothing that docker's --mount syntax (commas) or ssh would read otherwise.
    public static string CheckedKeyPath(SettingValue value) =>
        value.Value.StartsWith('/') && !value.Value.Any(c => char.IsWhiteSpace(c) || c is ',' or '\'' or '"') && !value.Value.Split('/').Contains("..")
            ? value.Value
            : throw value.Invalid("expected an absolute path on the VMs, such as /etc/purchase_predict_api/google-credentials.json.");

    // The service's variables: with a key file, GOOGLE_APPLICATION_CREDENTIALS only (a server outside the
    // project has no metadata server to fall back on); else the VM's metadata server when it isn't GCE's.
    public static IEnumerable<(string Name, string Value)> Environment(DeployHost host, string? keyFile) =>
        keyFile is not null ? [("GOOGLE_APPLICATION_CREDENTIALS", ContainerKeyPath)]
        : host.MetadataServer is { } metadata ? [("GCE_METADATA_HOST", metadata)]
        : [];

    // docker run's arguments that bring the key file into the container.
    public static IReadOnlyList<string> ContainerArguments(string? keyFile) =>
        keyFile is null ? [] : ["--mount", $"type=bind,source={keyFile},target={ContainerKeyPath},readonly"];
}
