#nullable enable
using System.Linq;

// Finds the programs the sandbox needs and installs missing ones from Debian's packages, which only
// root can do; anyone else gets the exact command to run instead.
public sealed class HostTools(CommandRunner runner)
{
    private bool _updated;

    public static string? Find(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin"])
            .Select(directory => System.IO.Path.Combine(directory, program))
            .FirstOrDefault(System.IO.File.Exists);

    public static bool IsRoot => System.Environment.UserName == "root";

    // The full path of program, installing package first when it is missing.
    public string Require(string program, string package)
    {
        if (Find(program) is { } found)
        {
            return found;
        }
        Install(package, $"`{program}`");
        return Find(program) ?? program;
    }

    // A shared library the pipeline's processes load (lib_lightgbm.so needs libgomp.so.1 for the tests).
    public void RequireLibrary(string soname, string package)
    {
        if (!LibraryDirectories.Any(directory => System.IO.File.Exists(System.IO.Path.Combine(directory, soname))))
        {
            Install(package, soname);
        }
    }

    private static readonly string[] LibraryDirectories =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    private void Install(string package, string what)
    {
        if (!IsRoot)
        {
            throw new InvalidOperationException($"The pipeline needs {what}: install it with `sudo apt-get install {package}` and run again.");
        }
        if (!_updated)
        {
            runner.Run(Apt.Update());
            _updated = true;
        }
        runner.Run(Apt.Install([package]));
    }
}
