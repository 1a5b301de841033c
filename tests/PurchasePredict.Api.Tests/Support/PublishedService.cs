using System.Diagnostics;

namespace PurchasePredict.Api.Tests.Support;

/// <summary>How the service is run: the test build under <c>dotnet</c>, or a published executable.</summary>
public sealed record ServiceBuild(string Name, string Program, IReadOnlyList<string> Arguments)
{
    /// <summary><c>dotnet purchase_predict_api.dll</c> from the test folder (the project reference's build).</summary>
    public static ServiceBuild Test { get; } = new("test build", "dotnet", [Repo.ServiceDll]);

    public override string ToString() => Name;
}

/// <summary>
/// The service published as the pipeline ships it, ready-to-run (self-contained) and native AOT, each at
/// most once per test run and shared by every test that asks (an AOT publish takes minutes here), so a
/// trimming or AOT problem in Google's libraries fails a test here rather than on GCP. Outputs live in a
/// temporary folder removed when the run ends (<see cref="PublishedServiceCleanup"/>).
/// </summary>
public static class PublishedService
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(20);

    internal static string Folder { get; } = Path.Combine(Path.GetTempPath(), $"api-publish-{Environment.ProcessId}");

    private static readonly Lazy<Task<ServiceBuild>> ReadyToRunBuild =
        new(() => PublishAsync("ready-to-run", "--self-contained", "-p:PublishReadyToRun=true"));

    private static readonly Lazy<Task<ServiceBuild>> AotBuild =
        new(() => PublishAsync("aot", ["-p:PublishAot=true", .. AotCompilerArguments()]));

    public static Task<ServiceBuild> ReadyToRunAsync() => ReadyToRunBuild.Value;

    public static Task<ServiceBuild> AotAsync() => AotBuild.Value;

    private static async Task<ServiceBuild> PublishAsync(string mode, params string[] options)
    {
        var output = Path.Combine(Folder, mode);
        // Its own artifacts path: no obj/ or bin/ shared with the test build or another run.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["publish", Path.Combine(Repo.Root, "src", "PurchasePredict.Api"), "--configuration", "Release",
                     "--runtime", "linux-x64", "--output", output, "--artifacts-path", Path.Combine(Folder, mode + "-build"), .. options])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(PublishTimeout);
        var executable = Path.Combine(output, "purchase_predict_api");
        if (process.ExitCode != 0 || !File.Exists(executable))
            Assert.Fail($"dotnet publish ({mode}) failed with {process.ExitCode}:\n{Tail(await stdout + await stderr)}");
        return new ServiceBuild(mode, executable, []);
    }

    // Native AOT links with clang; Debian may have only a versioned one (clang-14), as the pipeline knows too.
    private static string[] AotCompilerArguments()
    {
        string? Find(string name) => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        if (Find("clang") is not null) return [];
        var versioned = Enumerable.Range(14, 8).Reverse().Select(v => $"clang-{v}").FirstOrDefault(c => Find(c) is not null);
        return versioned is null ? [] : [$"-p:CppCompilerAndLinker={versioned}"];
    }

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(30));
}
