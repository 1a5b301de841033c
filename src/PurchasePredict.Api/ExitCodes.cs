namespace PurchasePredict.Api;

/// <summary>Process exit codes, a contract with docker, systemd and the worker host.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A setting (environment variable) is missing or invalid.</summary>
    public const int BadSettings = 2;

    /// <summary>The server could not listen (the port is taken, or not allowed).</summary>
    public const int CannotListen = 3;

    /// <summary>The model could not be loaded (gunicorn's APP_LOAD_ERROR is 4 too).</summary>
    public const int ModelLoadFailed = 4;
}
