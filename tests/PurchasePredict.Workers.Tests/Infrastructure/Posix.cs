using System.Runtime.InteropServices;

namespace PurchasePredict.Workers.Tests.Infrastructure;

internal static partial class Posix
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    public static void Kill(int pid, int signal)
    {
        if (KillNative(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Best effort, for cleanup: the process may be gone already.</summary>
    public static void TryKill(int pid) => KillNative(pid, SIGKILL);

    public static bool IsAlive(int pid) => KillNative(pid, 0) == 0;
}
