#nullable enable
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

// One VM of an environment: how to reach it and the port its service answers on.
public sealed record DeployHost(string Name, string Address, int? SshPort, int ServicePort);

// How the container reaches the network. Host: the service binds the host's port itself
// (PORT=<servicePort>, no -p): the sandbox VMs need it since their engines have no bridge, and it lets
// two containers share the port during a handover. Publish: `-p <servicePort>:8080`, as the tutorial does on GCP.
public enum ContainerNetwork { Host, Publish }

// Everything Deploy, Rollback and Status need, read once from the environment's "deploy" section
// (overridable by arguments and PP_* variables, see build/parameters/Settings.cs) and validated
// before any side effect.
public sealed class DeploySettings
{
    public const string UnitName = "purchase_predict_api.service";
    public const string ContainerName = "purchase_predict_api";
    public const string RemoteEnvFile = "/etc/default/purchase_predict_api";
    public const string RemoteUnitFile = "/etc/systemd/system/" + UnitName;
    public const string RemoteStateDirectory = "/var/lib/purchase_predict_api";

    public required string Environment { get; init; }
    public required IReadOnlyList<DeployHost> Hosts { get; init; }
    public string? SshUser { get; init; }
    public string? SshKey { get; init; }
    public string? SshKnownHosts { get; init; }
    public ContainerNetwork Network { get; init; } = ContainerNetwork.Host;
    public int ContainerPort { get; init; } = 8080;
    public required IReadOnlyDictionary<string, string> Env { get; init; }
    public string? SecretsFilePath { get; init; }
    public int GracefulTimeoutSeconds { get; init; } = 30;
    public int VerifyTimeoutSeconds { get; init; } = 90;
    public int HistorySize { get; init; } = 5;
    public required string PredictRequestFile { get; init; }
    public bool BreakLock { get; init; }

    // Zero-downtime handover through a second container on the shared port; host networking only.
    public bool Handover { get; init; }
    public string? RollbackVersion { get; init; }

    // Present in the sandbox environment: the VMs are containers that the SandboxVms task brings up.
    public SandboxVmSettings? Sandbox { get; init; }

    public SshTarget TargetFor(DeployHost host) =>
        new(host.Address, SshUser, host.SshPort, SshKey, SshKnownHosts);

    // Relative paths are relative to root, the repository.
    public static DeploySettings From(Settings settings, string root)
    {
        var sshPort = Port(settings.Get("deploy.sshPort", "ssh-port"));
        var forcedSshPort = settings.Get("deploy.sshPort", "ssh-port") is { Source: var source } && (source.StartsWith("argument", StringComparison.Ordinal) || source.StartsWith("environment", StringComparison.Ordinal));
        var result = new DeploySettings
        {
            Environment = settings.Environment,
            // --ssh-port / PP_SSH_PORT applies to every host; deploy.sshPort in the file only to hosts without their own.
            Hosts = ReadHosts(settings, sshPort, forcedSshPort),
            SshUser = settings.String("deploy.sshUser", "ssh-user"),
            // May not exist yet: the sandbox generates its key. Delivery.Prepare checks it before connecting.
            SshKey = FilePath(settings.Get("deploy.sshKey", "ssh-key"), root, mustExist: false),
            SshKnownHosts = FilePath(settings.Get("deploy.sshKnownHosts", "ssh-known-hosts"), root, mustExist: false),
            Network = settings.Get("deploy.network") switch
            {
                null or { Value: "host" } => ContainerNetwork.Host,
                { Value: "publish" } => ContainerNetwork.Publish,
                var other => throw other.Invalid("expected \"host\" or \"publish\"."),
            },
            ContainerPort = Port(settings.Get("deploy.containerPort")) ?? 8080,
            Env = ReadEnv(settings),
            SecretsFilePath = FilePath(settings.Get("deploy.secretsFile", "secrets-file"), root, mustExist: true),
            GracefulTimeoutSeconds = Seconds(settings, "deploy.gracefulTimeoutSeconds", 30),
            VerifyTimeoutSeconds = Seconds(settings, "deploy.verifyTimeoutSeconds", 90),
            HistorySize = settings.Int("deploy.historySize", 5) is var size and >= 2 and <= 100
                ? size : throw settings.Get("deploy.historySize")!.Invalid("keep from 2 to 100 versions."),
            PredictRequestFile = FilePath(settings.Get("deploy.predictRequest"), root, mustExist: true)
                ?? throw settings.Missing("deploy.predictRequest"),
            BreakLock = settings.Bool("deploy.breakLock", false, "break-lock"),
            Handover = settings.Bool("deploy.handover", false) && (settings.Get("deploy.network")?.Value ?? "host") == "host"
                ? true
                : settings.Bool("deploy.handover", false) ? throw settings.Get("deploy.handover")!.Invalid("a handover shares the port, which needs \"network\": \"host\".") : false,
            RollbackVersion = settings.Get("deploy.rollbackVersion", "rollback-version") is { } version
                ? (version.Value.Length is >= 4 and <= 40 && version.Value.All(Uri.IsHexDigit) ? version.Value.ToLowerInvariant() : throw version.Invalid("expected a git commit (4 to 40 hex digits)."))
                : null,
            Sandbox = SandboxVmSettings.From(settings, root),
        };
        // The env file must render for every host (required variables set, secrets file readable)
        // before anything runs, so a missing variable never leaves a half-done deploy.
        var secrets = SecretsFile.Read(result.SecretsFilePath);
        var template = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "ops", "purchase_predict_api.env"));
        foreach (var host in result.Hosts)
        {
            EnvFile.Render(template, result.EnvFor(host), secrets);
        }
        return result;
    }

    // The env file's plain values for one host: deploy.env plus, with host networking, PORT = the host's
    // service port, and GRACEFUL_TIMEOUT = the unit's docker stop time, so the workers finish draining
    // before docker kills them.
    public IReadOnlyDictionary<string, string> EnvFor(DeployHost host)
    {
        var values = new Dictionary<string, string>(Env)
        {
            ["GRACEFUL_TIMEOUT"] = GracefulTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (Network == ContainerNetwork.Host)
        {
            values["PORT"] = host.ServicePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return values;
    }

    private static IReadOnlyList<DeployHost> ReadHosts(Settings settings, int? sshPort, bool forceSshPort)
    {
        var (element, value) = settings.Json("deploy.hosts", "hosts") ?? throw settings.Missing("deploy.hosts", "hosts");
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            throw value.Invalid("expected a non-empty list of {\"name\", \"address\", \"sshPort\", \"servicePort\"}.");
        }
        var hosts = element.EnumerateArray().Select((item, i) => Host(item, i, value, sshPort))
            .Select(h => forceSshPort ? h with { SshPort = sshPort } : h)
            .ToList();
        if (hosts.GroupBy(h => h.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw value.Invalid($"the host name '{twice.Key}' appears twice.");
        }
        if (hosts.GroupBy(h => (h.Address, h.SshPort)).FirstOrDefault(g => g.Count() > 1) is { } same)
        {
            throw value.Invalid($"two hosts are the same machine ({same.Key.Address}, ssh port {same.Key.SshPort}).");
        }
        return hosts;
    }

    private static DeployHost Host(JsonElement item, int index, SettingValue list, int? sshPort)
    {
        string Text(string name) =>
            item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String && p.GetString()!.Trim().Length > 0
                ? p.GetString()!
                : throw list.Invalid($"hosts[{index}].{name} is missing or not a string.");
        int? Number(string name, bool required) =>
            item.TryGetProperty(name, out var p)
                ? (p.TryGetInt32(out var n) && n is >= 1 and <= 65535 ? n : throw list.Invalid($"hosts[{index}].{name} is not a port number."))
                : required ? throw list.Invalid($"hosts[{index}].{name} is missing.") : null;
        var address = Text("address");
        if (address.StartsWith('-') || address.Any(char.IsWhiteSpace))
        {
            // ssh would read a leading '-' as an option.
            throw list.Invalid($"hosts[{index}].address '{address}' is not a host name or address.");
        }
        return new DeployHost(Text("name"), address, Number("sshPort", false) ?? sshPort, Number("servicePort", true)!.Value);
    }

    private static IReadOnlyDictionary<string, string> ReadEnv(Settings settings)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (settings.Json("deploy.env") is not var (element, value))
        {
            return env;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw value.Invalid("expected an object of \"NAME\": \"value\".");
        }
        foreach (var property in element.EnumerateObject())
        {
            env[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw value.Invalid($"env.{property.Name}: expected a string value.");
        }
        return env;
    }

    private static int? Port(SettingValue? value) =>
        value is null ? null
        : int.TryParse(value.Value, out var port) && port is >= 1 and <= 65535 ? port
        : throw value.Invalid("expected a port number (1 to 65535).");

    private static int Seconds(Settings settings, string key, int fallback) =>
        settings.Int(key, fallback) is var seconds and >= 1 and <= 3600 ? seconds : throw settings.Get(key)!.Invalid("expected 1 to 3600 seconds.");

    private static string? FilePath(SettingValue? value, string root, bool mustExist)
    {
        if (value is null)
        {
            return null;
        }
        var full = System.IO.Path.GetFullPath(value.Value, root);
        return !mustExist || System.IO.File.Exists(full) ? full : throw value.Invalid($"the file {full} does not exist.");
    }
}
