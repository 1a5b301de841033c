namespace PurchasePredict.GcpSandbox.Tests;

/// <summary>The scope URLs the tests ask for, spelled out (not taken from the code under test).</summary>
internal static class GoogleScopes
{
    public const string CloudPlatform = "https://www.googleapis.com/auth/cloud-platform";
    public const string StorageReadOnly = "https://www.googleapis.com/auth/devstorage.read_only";
    public const string LoggingWrite = "https://www.googleapis.com/auth/logging.write";
}
