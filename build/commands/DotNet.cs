#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
// dotnet CLI command lines.
public static class DotNet
{
    public static ShellCommand Test(string project, string resultsDirectory, string trxName) =>
        ShellCommand.Of("dotnet", "test", project, "--configuration", "Release",
            "--logger", $"trx;LogFileName={trxName}", "--results-directory", resultsDirectory);

    public static ShellCommand Publish(string project, string output, PublishMode mode, string runtime, string? aotCompiler)
    {
        var command = ShellCommand.Of("dotnet", "publish", project, "--configuration", "Release",
            "--runtime", runtime, "--output", output);
        // Trimming and AOT analysis warn about Google.Apis and Newtonsoft.Json (reflection), which the
        // repository's TreatWarningsAsErrors would make fatal: these modes keep them as warnings.
        // docs/pipeline.md says what that risks and why ready-to-run is the default.
        const string ThirdPartyWarnings = "-p:TreatWarningsAsErrors=false";
        return mode switch
        {
            PublishMode.Aot => aotCompiler is null
                ? command.With("-p:PublishAot=true", ThirdPartyWarnings)
                : command.With("-p:PublishAot=true", ThirdPartyWarnings, $"-p:CppCompilerAndLinker={aotCompiler}"),
            PublishMode.SelfContained => command.With("--self-contained"),
            PublishMode.Trimmed => command.With("--self-contained", "-p:PublishTrimmed=true", ThirdPartyWarnings),
            PublishMode.ReadyToRun => command.With("--self-contained", "-p:PublishReadyToRun=true"),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }
}

// How the API is published; docs/pipeline.md has the measured image size and start time of each.
public enum PublishMode
{
    Aot,
    SelfContained,
    Trimmed,
    ReadyToRun,
}
