namespace PurchasePredict.Api;

/// <summary>
/// Process exit codes, a contract with docker, systemd and the worker host. The codes a master can end with too
/// come from the host's own list, so a service fails the same way with one worker or many.
/// </summary>
public static class ExitCodes
{
    public const int Ok = Workers.ExitCodes.Ok;

    /// <summary>A setting (environment variable) is missing or invalid.</summary>
    public const int BadSettings = Workers.ExitCodes.InvalidSettings;

    /// <summary>The server could not listen (the port is taken, or not allowed).</summary>
    public const int CannotListen = Workers.ExitCodes.CannotListen;

    /// <summary>The model could not be loaded (gunicorn's APP_LOAD_ERROR is 4 too).</summary>
    public const int ModelLoadFailed = 4;
}
