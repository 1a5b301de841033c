using System.Diagnostics;

namespace PurchasePredict.GcpSandbox.Tests.Registry;

/// <summary>
/// The docker CLI with a configuration folder of its own (DOCKER_CONFIG), as one machine's root would have:
/// what <c>docker login</c> stores stays there, and goes with it.
/// </summary>
internal sealed class DockerCli : IDisposable
{
    private readonly string _config = Directory.CreateTempSubdirectory("docker-config-").FullName;

    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}: {Output}";
    }

    /// <summary>Runs docker with the arguments; <paramref name="input"/> goes to its stdin (a password, a tarball).</summary>
    public async Task<Result> RunAsync(byte[]? input, params string[] args)
    {
        var start = new ProcessStartInfo("docker")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["DOCKER_CONFIG"] = _config;
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null) await process.StandardInput.BaseStream.WriteAsync(input);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new Result(process.ExitCode, (await stdout + await stderr).Trim());
    }

    public Task<Result> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary><c>docker login -u oauth2accesstoken --password-stdin</c>: the token never on a command line.</summary>
    public Task<Result> LoginAsync(string registry, string token) =>
        RunAsync(System.Text.Encoding.UTF8.GetBytes(token), "login", "-u", "oauth2accesstoken", "--password-stdin", registry);

    public void Dispose() => Directory.Delete(_config, recursive: true);
}
