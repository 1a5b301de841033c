// Compiled into each test project that needs it (no namespace, like FreePort).
internal static class TestRepository
{
    /// <summary>The repository's root: the folder holding PurchasePredict.slnx above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string StorageEmulatorScript => Path.Combine(Root, "tools", "storage-emulator", "start.sh");

    /// <summary>The sandbox's stand-ins (tools/PurchasePredict.GcpSandbox), copied next to the tests by the project reference.</summary>
    public static string GcpSandboxDll => Path.Combine(AppContext.BaseDirectory, "gcp-sandbox.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PurchasePredict.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no PurchasePredict.slnx above {AppContext.BaseDirectory}");
    }
}
