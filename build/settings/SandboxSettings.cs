#nullable enable
using System.Linq;
using System.Text.RegularExpressions;

// The local stand-in for GCP: a Docker engine, a private registry on the loopback interface, a base image
// built with debootstrap (public registries are unreachable here), and the GCP project's stand-ins the
// pipeline itself talks to (the token endpoint, the registry's login, the metadata server of the machine
// running the pipeline). Present only in environments whose file has a "sandbox" section.
public sealed record SandboxSettings(
    string RegistryAddress,
    string Suite,
    string Mirror,
    IReadOnlyList<string> BasePackages,
    IReadOnlyList<string> DockerdArguments,
    int TokenPort,
    int RegistryAuthPort,
    int CiMetadataPort)
{
    // Where a key's token_uri points, and where the other stand-ins check a bearer token.
    public string TokenUri => $"http://127.0.0.1:{TokenPort}/token";

    public string TokenInfo => $"http://127.0.0.1:{TokenPort}/tokeninfo";

    // The registry's token service (distribution's auth.token.realm).
    public string RegistryRealm => $"http://127.0.0.1:{RegistryAuthPort}/token";

    // GCE_METADATA_HOST of the machine running the pipeline: registryAuth application-default asks it.
    public string CiMetadataHost => $"127.0.0.1:{CiMetadataPort}";

    public static SandboxSettings? From(Settings settings, ImageTarget image)
    {
        if (settings.File.Sandbox is not { } section)
        {
            return null;
        }
        var registry = settings.Require("registry");
        if (!Regex.IsMatch(image.Registry, "^127\\.0\\.0\\.1:[0-9]+$"))
        {
            throw registry.Invalid("the sandbox's registry runs on this machine: expected 127.0.0.1:<port>.");
        }
        var suite = settings.Require("sandbox.suite");
        if (!Regex.IsMatch(suite.Value, "^[a-z]+$"))
        {
            throw suite.Invalid("expected a Debian suite name such as bookworm.");
        }
        var mirror = settings.Require("sandbox.mirror");
        if (!Uri.TryCreate(mirror.Value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw mirror.Invalid("expected an http(s) Debian mirror URL.");
        }
        var ports = new[] { ("sandbox.tokenPort", section.TokenPort), ("sandbox.registryAuthPort", section.RegistryAuthPort), ("sandbox.ciMetadataPort", section.CiMetadataPort) }
            .Select(p => (p.Item1, Port: Port(settings, p.Item1, p.Item2))).ToList();
        var registryPort = int.Parse(image.Registry[(image.Registry.IndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, port) in ports)
        {
            if (port == registryPort || ports.Count(p => p.Port == port) > 1)
            {
                throw settings.Get(key)!.Invalid("another of the sandbox's services already uses this port.");
            }
        }
        return new SandboxSettings(image.Registry, suite.Value, mirror.Value, section.BasePackages, section.DockerdArguments,
            ports[0].Port, ports[1].Port, ports[2].Port);
    }

    private static int Port(Settings settings, string key, int? port) =>
        port is { } p ? (PortNumber.IsValid(p) ? p : throw settings.Get(key)!.Invalid("expected a port number (1 to 65535).")) : throw settings.Missing(key);
}
