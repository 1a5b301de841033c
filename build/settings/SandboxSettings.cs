#nullable enable
using System.Text.RegularExpressions;

// The local stand-in for GCP: a Docker engine, a registry on the loopback interface and a base image
// built with debootstrap (public registries are unreachable here). Present only in environments
// whose file has a "sandbox" section.
public sealed record SandboxSettings(
    string RegistryAddress,
    string Suite,
    string Mirror,
    IReadOnlyList<string> BasePackages,
    IReadOnlyList<string> DockerdArguments)
{
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
        return new SandboxSettings(image.Registry, suite.Value, mirror.Value, section.BasePackages, section.DockerdArguments);
    }
}
