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

    /// <summary>An environment variable has a bad value; the message names it.</summary>
    public const int InvalidSettings = 2;

    /// <summary>A worker could not boot (master: workers kept failing to boot, it gave up).</summary>
    public const int BootFailed = 3;
}
