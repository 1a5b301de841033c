#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
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
        if (runner.DryRun)
        {
            runner.Run(Apt.Install([package]));
            return program;
        }
        if (!IsRoot)
        {
            throw new InvalidOperationException($"The sandbox needs `{program}`: install it with `sudo apt-get install {package}` and run again.");
        }
        if (!_updated)
        {
            runner.Run(Apt.Update());
            _updated = true;
        }
        runner.Run(Apt.Install([package]));
        return Find(program) ?? throw new InvalidOperationException($"Installed {package}, but `{program}` is still not on PATH.");
    }

    // Polls until ready() holds or the time is up; long waits are the sandbox's only slow part.
    public static bool WaitFor(Func<bool> ready, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!ready())
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(250);
        }
        return true;
    }
}
