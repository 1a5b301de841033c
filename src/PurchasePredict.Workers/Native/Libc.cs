using System.Runtime.InteropServices;

namespace PurchasePredict.Workers.Native;

/// <summary>The few POSIX calls .NET does not expose: signals to other processes and descriptor duplication.</summary>
internal static partial class Libc
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>dup(2): the copy does not have FD_CLOEXEC, so a child started while it is open inherits it.</summary>
    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    public static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
