#nullable enable
// dotnet CLI command lines.
public static class DotNet
{
    // The same Deterministic property as Publish: Publish reuses the libraries the tests built in the
    // clone's obj/Release (MSBuild does not recompile for a changed property), so a test build without it
    // put the clone's folder into PurchasePredict.LightGbm.dll, and two clones gave two images.
    public static ShellCommand Test(string project, string resultsDirectory, string trxName) =>
        ShellCommand.Of("dotnet", "test", project, "--configuration", "Release", Deterministic,
            "--logger", $"trx;LogFileName={trxName}", "--results-directory", resultsDirectory);

    // ContinuousIntegrationBuild: deterministic compilation with source paths mapped to /_/ (PathMap), so
    // that no path of the clone ends up in a binary: without it, the app's three DLLs embed the clone's
    // folder and differ between two clones of one commit (checked: docs/pipeline.md).
    private const string Deterministic = "-p:ContinuousIntegrationBuild=true";

    public static ShellCommand Publish(string project, string output, PublishMode mode, string runtime, string? aotCompiler)
    {
        var command = ShellCommand.Of("dotnet", "publish", project, "--configuration", "Release",
            "--runtime", runtime, "--output", output, Deterministic);
        // Trimming warns about Google.Apis and Newtonsoft.Json (reflection), which the repository's
        // TreatWarningsAsErrors would make fatal. AOT needs no such switch: the API's project keeps exactly
        // Google's three codes as warnings and roots their assemblies (docs/pipeline.md).
        const string ThirdPartyWarnings = "-p:TreatWarningsAsErrors=false";
        return mode switch
        {
            PublishMode.Aot => aotCompiler is null
                ? command.With("-p:PublishAot=true")
                : command.With("-p:PublishAot=true", $"-p:CppCompilerAndLinker={aotCompiler}"),
            PublishMode.SelfContained => command.With("--self-contained"),
            PublishMode.Trimmed => command.With("--self-contained", "-p:PublishTrimmed=true", ThirdPartyWarnings),
            PublishMode.ReadyToRun => command.With("--self-contained", "-p:PublishReadyToRun=true"),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }

    // A tool project of this repository (tools/RegistryToken), built from source with the solution's
    // pinned package versions: NuGet restores it like any project, on a machine that never saw it.
    public static ShellCommand BuildTool(string project, string output) =>
        ShellCommand.Of("dotnet", "build", project, "--configuration", "Release", "--output", output, "--nologo", "--verbosity", "quiet");

    // Prints an access token for Google's registries on stdout, and nothing else (tools/RegistryToken/Program.cs).
    // A metadata server given here is the only place application-default looks (the sandbox's machine
    // running the pipeline): `env` names it, and unsets a key file this machine's environment may name.
    public static ShellCommand RegistryToken(string assembly, RegistryAuth auth, string? keyFile, string? metadataHost = null) => auth switch
    {
        RegistryAuth.ApplicationDefault when metadataHost is not null =>
            ShellCommand.Of("env", "--unset=GOOGLE_APPLICATION_CREDENTIALS", "GCE_METADATA_HOST=" + metadataHost, "dotnet", assembly, "application-default"),
        RegistryAuth.ApplicationDefault => ShellCommand.Of("dotnet", assembly, "application-default"),
        RegistryAuth.ServiceAccountKey => ShellCommand.Of("dotnet", assembly, "service-account-key",
            keyFile ?? throw new ArgumentNullException(nameof(keyFile))),
        _ => throw new ArgumentOutOfRangeException(nameof(auth), auth, "no token is needed"),
    };
}

// How the API is published; docs/pipeline.md has the measured image size and start time of each.
public enum PublishMode
{
    Aot,
    SelfContained,
    Trimmed,
    ReadyToRun,
}
