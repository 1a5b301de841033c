namespace PurchasePredict.Workers;

/// <summary>
/// Exit codes are a contract with docker and systemd: which the API reuses (src/PurchasePredict.Api/ExitCodes.cs adds its own 4, model not loaded),
/// so a service fails the same way with one worker or many. A master that gives up on workers that cannot boot
/// exits with their own code (gunicorn stops the same way on WORKER_BOOT_ERROR and APP_LOAD_ERROR).
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The master failed, or gave up on workers that died by a signal (no code of their own) before ready.</summary>
    public const int Failed = 1;

    /// <summary>
    /// An environment variable has a bad value; the message names it. A worker exiting with it before it is ready
    /// makes the master give up at once (and exit 2 too): retrying cannot fix a configuration.
    /// </summary>
    public const int InvalidSettings = 2;

    /// <summary>The master cannot listen on PORT (taken, or not allowed).</summary>
    public const int CannotListen = 3;
}
