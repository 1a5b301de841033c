namespace PurchasePredict.Workers;

/// <summary>
/// Exit codes are a contract with docker and systemd (as gunicorn's WORKER_BOOT_ERROR is):
/// a master that gives up on workers that cannot boot must look like a failed service, not a crash loop.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Unexpected failure of the master itself.</summary>
    public const int Unexpected = 1;

    /// <summary>
    /// An environment variable has a bad value; the message names it. A worker exiting with it before it is ready
    /// makes the master give up at once (and exit 2 too): retrying cannot fix a configuration.
    /// </summary>
    public const int InvalidSettings = 2;

    /// <summary>
    /// The master gave up on workers that kept failing to boot, and their own exit code was a signal or 0.
    /// When they exited with a code (the API: 2 bad settings, 4 model not loadable), the master exits with that code.
    /// </summary>
    public const int BootFailed = 3;
}
