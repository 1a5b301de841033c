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
        return mode switch
        {
            PublishMode.Aot => aotCompiler is null
                ? command.With("-p:PublishAot=true")
                : command.With("-p:PublishAot=true", $"-p:CppCompilerAndLinker={aotCompiler}"),
            PublishMode.SelfContained => command.With("--self-contained"),
            PublishMode.Trimmed => command.With("--self-contained", "-p:PublishTrimmed=true"),
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
