#nullable enable
using System.Linq;
using System.Text.Json.Nodes;

// One VM of an environment: how to reach it, the port its service answers on, and where its metadata
// server answers (GCE_METADATA_HOST; null: GCE's own, 169.254.169.254).
public sealed record DeployHost(string Name, string Address, int? SshPort, int ServicePort, string? MetadataServer = null);

// How docker on each VM gets the right to pull from a private registry. VmServiceAccount: right before
// the pull, an access token of the VM's service account from its metadata server, given to
// `docker login -u oauth2accesstoken --password-stdin` (what gcloud's and docker-credential-gcr's
// credential helpers do on each pull). None: docker on the VM is already authenticated (a credential
// helper from `gcloud auth configure-docker`, a server outside GCP logged in by hand) or the registry is public.
public enum RegistryLogin { VmServiceAccount, None }

// How the container reaches the network. Host: the service binds the host's port itself
// (PORT=<servicePort>, no -p): the sandbox VMs need it since their engines have no bridge, and it lets
// two containers share the port during a handover. Publish: `-p <servicePort>:8080`, as the tutorial does on GCP.
public enum ContainerNetwork { Host, Publish }

// Everything Deploy, Rollback and Status need, from the environment's "deploy" section (overridable by
// arguments and PP_* variables, see build/settings/), validated in one pass before any side effect: every
// error names the setting, its value and its source.
public sealed record DeploySettings
{
    public required string Environment { get; init; }
    public required IReadOnlyList<DeployHost> Hosts { get; init; }
    public string? SshUser { get; init; }
    public string? SshKey { get; init; }
    public string? SshKnownHosts { get; init; }
    public required ContainerNetwork Network { get; init; }
    public required int ContainerPort { get; init; }
    public required IReadOnlyDictionary<string, string> Env { get; init; }
    public string? SecretsFilePath { get; init; }

    // The secrets file's values, read once: they go into the env file and are redacted from all output.
    public required IReadOnlyDictionary<string, Secret> Secrets { get; init; }

    // Each host's env file, rendered once when the settings are checked (host name -> content).
    public IReadOnlyDictionary<string, Secret> EnvFiles { get; private init; } = new Dictionary<string, Secret>();
    public required int GracefulTimeoutSeconds { get; init; }
    public required int VerifyTimeoutSeconds { get; init; }
    public required int HistorySize { get; init; }
    public required string PredictRequestFile { get; init; }
    public required bool BreakLock { get; init; }

    // How long to wait for a lock another deploy holds; 0: fail at once, naming the holder.
    public required int LockWaitSeconds { get; init; }

    // Redeploy a VM that already runs the release (the pipeline's --force).
    public required bool Force { get; init; }

    // Zero-downtime handover through a second container on the shared port; host networking only.
    public required bool Handover { get; init; }
    public string? RollbackVersion { get; init; }

    public required RegistryLogin RegistryLogin { get; init; }

    // A service-account key file on each VM (the tutorial's server outside the project), mounted read-only
    // into the container, which finds it through GOOGLE_APPLICATION_CREDENTIALS. Null: the VM's own account.
    public string? GoogleCredentialsFile { get; init; }

    // docker's --memory for every container of the service (unit, candidate, handover); null: no limit.
    public string? MemoryLimit { get; init; }

    // What every container of the release gets on docker run's command line besides its name, env file and
    // network: the key file's mount, and the memory limit with no swap beyond it (the workers size their
    // heaps from the cgroup's limit: docs/workers.md).
    public IReadOnlyList<string> ContainerArguments =>
    [
        .. VmCredentials.ContainerArguments(GoogleCredentialsFile),
        .. MemoryLimit is { } limit ? new[] { "--memory", limit, "--memory-swap", limit } : [],
    ];

    // Present in the sandbox environment: the VMs are containers that the SandboxVms task brings up.
    public SandboxVmSettings? Sandbox { get; init; }

    public SshTarget TargetFor(DeployHost host) =>
        new(host.Address, SshUser, host.SshPort, SshKey, SshKnownHosts);

    // Relative paths are relative to the repository (paths.Root).
    public static DeploySettings From(Settings settings, BuildPaths paths)
    {
        var section = settings.File.Deploy ?? throw settings.Missing("deploy.hosts");
        var sshPort = section.SshPort is { } port ? Port(settings, "deploy.sshPort", port) : (int?)null;
        // --ssh-port / PP_SSH_PORT applies to every host; deploy.sshPort in the file only to hosts without their own.
        var forcedSshPort = settings.Get("deploy.sshPort") is { Source: var source } && !source.StartsWith(settings.FilePath, StringComparison.Ordinal);
        var sandbox = SandboxVmSettings.From(settings, paths);
        var secretsFile = FilePath(settings.Get("deploy.secretsFile"), paths.Root, mustExist: true);
        var network = section.Network switch
        {
            "host" => ContainerNetwork.Host,
            "publish" => ContainerNetwork.Publish,
            _ => throw settings.Get("deploy.network")!.Invalid("expected \"host\" or \"publish\"."),
        };
        var result = new DeploySettings
        {
            Environment = settings.Environment,
            Hosts = ReadHosts(settings, section, sshPort, forcedSshPort),
            SshUser = settings.Get("deploy.sshUser") is { } user ? SshUserName(user) : null,
            // The sandbox's own key and known_hosts, which it generates, unless the file names others.
            SshKey = SshFile(settings.Get("deploy.sshKey"), paths.Root) ?? sandbox?.ClientKey,
            SshKnownHosts = SshFile(settings.Get("deploy.sshKnownHosts"), paths.Root) ?? sandbox?.KnownHosts,
            Network = network,
            ContainerPort = Port(settings, "deploy.containerPort", section.ContainerPort),
            Env = section.Env,
            SecretsFilePath = secretsFile,
            Secrets = SecretsFile.Read(secretsFile),
            GracefulTimeoutSeconds = Seconds(settings, "deploy.gracefulTimeoutSeconds", section.GracefulTimeoutSeconds),
            VerifyTimeoutSeconds = Seconds(settings, "deploy.verifyTimeoutSeconds", section.VerifyTimeoutSeconds),
            HistorySize = section.HistorySize is >= 2 and <= 100
                ? section.HistorySize : throw settings.Get("deploy.historySize")!.Invalid("keep from 2 to 100 versions."),
            PredictRequestFile = FilePath(settings.Get("deploy.predictRequest"), paths.Root, mustExist: true)
                ?? throw settings.Missing("deploy.predictRequest"),
            BreakLock = section.BreakLock,
            LockWaitSeconds = section.LockWaitSeconds is >= 0 and <= 86400
                ? section.LockWaitSeconds : throw settings.Get("deploy.lockWaitSeconds")!.Invalid("expected 0 (do not wait) to 86400 seconds."),
            Force = settings.File.Force,
            Handover = section.Handover && network != ContainerNetwork.Host
                ? throw settings.Get("deploy.handover")!.Invalid("a handover shares the port, which needs \"network\": \"host\".")
                : section.Handover,
            RollbackVersion = settings.Get("deploy.rollbackVersion") is { } version
                ? (version.Value.Length is >= 4 and <= 40 && version.Value.All(Uri.IsHexDigit) ? version.Value.ToLowerInvariant() : throw version.Invalid("expected a git commit (4 to 40 hex digits)."))
                : null,
            RegistryLogin = section.RegistryLogin switch
            {
                "vm-service-account" => RegistryLogin.VmServiceAccount,
                "none" => RegistryLogin.None,
                _ => throw settings.Get("deploy.registryLogin")!.Invalid("expected \"vm-service-account\" or \"none\"."),
            },
            GoogleCredentialsFile = settings.Get("deploy.googleCredentialsFile") is { } keyFile ? VmCredentials.CheckedKeyPath(keyFile) : null,
            MemoryLimit = settings.Get("deploy.memoryLimit") is { } memory
                ? (MemorySize.IsMatch(memory.Value) ? memory.Value : throw memory.Invalid("expected a size with its unit, such as 512m or 2g."))
                : null,
            Sandbox = sandbox,
        };
        // The env file must render for every host (required variables set, secrets file readable)
        // before anything runs, so a missing variable never leaves a half-done deploy.
        var template = System.IO.File.ReadAllText(paths.EnvTemplate);
        if (result.Handover && (result.Secrets.TryGetValue("WORKERS", out var secret) ? secret.Value : result.Env.GetValueOrDefault("WORKERS")) == "1")
        {
            throw settings.Get("deploy.handover")!.Invalid("a handover needs the worker host's master (WORKERS of 2 or more): with WORKERS=1 nothing shares the port.");
        }
        return result with
        {
            EnvFiles = result.Hosts.ToDictionary(h => h.Name, h =>
            {
                ServiceModel.Check(result.EnvFor(h), result.Secrets);
                return EnvFile.Render(template, result.EnvFor(h), result.Secrets);
            }),
        };
    }

    // The env file's plain values for one host: deploy.env plus, with host networking, PORT = the host's
    // service port, GRACEFUL_TIMEOUT = the unit's docker stop time, so the workers finish draining
    // before docker kills them, and the Google credential's variables (VmCredentials.Environment).
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
        foreach (var (name, value) in VmCredentials.Environment(host, GoogleCredentialsFile))
        {
            values[name] = value;
        }
        return values;
    }

    private static IReadOnlyList<DeployHost> ReadHosts(Settings settings, DeploySection section, int? sshPort, bool forceSshPort)
    {
        var value = settings.Get("deploy.hosts") ?? throw settings.Missing("deploy.hosts");
        if (section.Hosts is not { Count: > 0 } entries)
        {
            throw value.Invalid("expected a non-empty list of {\"name\", \"address\", \"sshPort\", \"servicePort\"}.");
        }
        // The typed entries drop what they don't know: a mistyped key ("sshPrt") would silently lose its value.
        if (JsonNode.Parse(value.Value) is JsonArray raw)
        {
            foreach (var (entry, index) in raw.OfType<JsonObject>().Select((e, i) => (e, i)))
            {
                if (entry.Select(p => p.Key).FirstOrDefault(k => k != "$comment" && !SettingCatalog.HostKeys.Contains(k)) is { } unknown)
                {
                    throw value.Invalid($"hosts[{index}] has an unknown key '{unknown}'{ClosestMatch.Suggestion(unknown, SettingCatalog.HostKeys)}.");
                }
            }
        }
        var hosts = entries.Select((entry, i) => Host(entry, i, value, sshPort))
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

    // A host's name goes into its unit, a local folder (artifacts/deploy/<name>) and every message; its
    // address onto ssh's command line. Both are checked here, before any VM is contacted.
    private static DeployHost Host(HostEntry entry, int index, SettingValue list, int? sshPort)
    {
        string Text(string name, string? text) =>
            text is { } t && t.Trim().Length > 0 ? t : throw list.Invalid($"hosts[{index}].{name} is missing or not a string.");
        int? Number(string name, int? port, bool required) =>
            port is { } n ? (PortNumber.IsValid(n) ? n : throw list.Invalid($"hosts[{index}].{name} is not a port number."))
            : required ? throw list.Invalid($"hosts[{index}].{name} is missing.") : null;
        var name = Text("name", entry.Name);
        if (!DnsLabel.IsMatch(name))
        {
            throw list.Invalid($"hosts[{index}].name {Quoted(name)} is not a DNS label: 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen.");
        }
        var address = Text("address", entry.Address);
        if (!IsHostNameOrAddress(address))
        {
            // ssh would read a leading '-' as an option; a space or a newline would split its command line.
            throw list.Invalid($"hosts[{index}].address {Quoted(address)} is not a host name or an IP address.");
        }
        if (entry.MetadataServer is { } metadata && !VmCredentials.IsMetadataHost(metadata))
        {
            throw list.Invalid($"hosts[{index}].metadataServer {Quoted(metadata)} is not a host:port such as 127.0.0.1:9181.");
        }
        return new DeployHost(name, address, Number("sshPort", entry.SshPort, false) ?? sshPort,
            Number("servicePort", entry.ServicePort, true)!.Value, entry.MetadataServer);
    }

    // docker's --memory: a number and its unit (k, m, g); a bare number would be bytes, never meant.
    private static readonly System.Text.RegularExpressions.Regex MemorySize = new("^[1-9][0-9]{0,9}[kmg]\\z");

    private static readonly System.Text.RegularExpressions.Regex DnsLabel = new("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\z");

    // Host names of DNS (and of ssh config aliases, which may hold '_'), labels of up to 63 characters.
    private static readonly System.Text.RegularExpressions.Regex HostName =
        new("^(?=.{1,253}\\z)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?\\z");

    private static bool IsHostNameOrAddress(string address) =>
        HostName.IsMatch(address) || (address.Contains(':') && System.Net.IPAddress.TryParse(address, out _));

    // A login name of Linux's rules (useradd's default), which also keeps it from reading as an option.
    private static string SshUserName(SettingValue user) =>
        System.Text.RegularExpressions.Regex.IsMatch(user.Value, "^[A-Za-z_][A-Za-z0-9_.-]{0,31}\\z")
            ? user.Value
            : throw user.Invalid("not a user name: up to 32 letters, digits, '_', '.' and '-', starting with a letter or '_'.");

    // ssh reads -o UserKnownHostsFile=<path> as a list split at spaces.
    private static string? SshFile(SettingValue? value, string root) =>
        value is not null && value.Value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? throw value.Invalid("a path for ssh can't hold spaces or control characters.")
            : FilePath(value, root, mustExist: false);

    // A value as JSON writes it, so that a newline or a quote shows as such in a message.
    private static string Quoted(string text) =>
        System.Text.Json.JsonSerializer.Serialize(text, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    // The one rule for a port, shared with the service's PORT (src/Shared/PortNumber.cs).
    private static int Port(Settings settings, string key, int port) =>
        PortNumber.IsValid(port) ? port : throw settings.Get(key)!.Invalid("expected a port number (1 to 65535).");

    private static int Seconds(Settings settings, string key, int seconds) =>
        seconds is >= 1 and <= 3600 ? seconds : throw settings.Get(key)!.Invalid("expected 1 to 3600 seconds.");

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
