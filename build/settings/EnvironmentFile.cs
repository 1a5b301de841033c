#nullable enable
// ops/environments/<env>.json as typed records, arguments and PP_* variables already applied: the shape
// and the JSON types. What the values mean (a project id's rules, a port's range, a file that must exist)
// is checked once by BuildParameters.Load and DeploySettings.From, which name the setting and its source.
// Defaults are written here and nowhere else.
public sealed record EnvironmentFile
{
    public string? Repo { get; init; }
    public string? Branch { get; init; }
    public IReadOnlyList<string>? Tests { get; init; }
    public string? ApiProject { get; init; }
    public string? PublishMode { get; init; }
    public string? Runtime { get; init; }
    public string? Registry { get; init; }
    public string? Project { get; init; }
    public string? ArtifactRepository { get; init; }
    public string? RegistryAuth { get; init; }
    public string? ServiceAccountKey { get; init; }
    public string? BaseImage { get; init; }
    public bool Force { get; init; }
    public string? Commit { get; init; }

    // Present only in the local sandbox's file: the pipeline then brings the sandbox up itself.
    public SandboxSection? Sandbox { get; init; }

    public DeploySection? Deploy { get; init; }
}

public sealed record SandboxSection
{
    public string? Suite { get; init; }
    public string? Mirror { get; init; }
    public IReadOnlyList<string> BasePackages { get; init; } = [];
    public IReadOnlyList<string> DockerdArguments { get; init; } = [];
    public int? TokenPort { get; init; }
    public int? RegistryAuthPort { get; init; }
    public int? CiMetadataPort { get; init; }
}

public sealed record DeploySection
{
    public IReadOnlyList<HostEntry>? Hosts { get; init; }
    public string? SshUser { get; init; }
    public string? SshKey { get; init; }
    public int? SshPort { get; init; }
    public string? SshKnownHosts { get; init; }
    public string Network { get; init; } = "host";
    public bool Handover { get; init; }
    public int ContainerPort { get; init; } = 8080;
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public string? SecretsFile { get; init; }
    public int GracefulTimeoutSeconds { get; init; } = 30;
    public int VerifyTimeoutSeconds { get; init; } = 90;
    public int HistorySize { get; init; } = 5;
    public string? PredictRequest { get; init; }
    public string? ExpectedAnswers { get; init; }
    public bool BreakLock { get; init; }
    public int LockWaitSeconds { get; init; }
    public string? RollbackVersion { get; init; }
    public string RegistryLogin { get; init; } = "vm-service-account";
    public string? GoogleCredentialsFile { get; init; }
    public string? MemoryLimit { get; init; }

    // Present in the sandbox's file: the VMs are containers that the SandboxVms task brings up.
    public DeploySandboxSection? Sandbox { get; init; }
}

public sealed record HostEntry
{
    public string? Name { get; init; }
    public string? Address { get; init; }
    public int? SshPort { get; init; }
    public int? ServicePort { get; init; }
    public string? MetadataServer { get; init; }
}

public sealed record DeploySandboxSection
{
    public int? StoragePort { get; init; }
    public string? ModelFile { get; init; }
    public string? ArtifactUri { get; init; }
    public string? MlflowHost { get; init; }
    public int? MlflowPort { get; init; }
}
