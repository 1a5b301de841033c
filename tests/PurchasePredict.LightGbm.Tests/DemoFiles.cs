namespace PurchasePredict.LightGbm.Tests;

/// <summary>The committed demo model files, copied next to the test assembly (see the csproj).</summary>
internal static class DemoFiles
{
    public static string ModelPath => Path.Combine(TestContext.CurrentContext.TestDirectory, "demo", "model.txt");

    public static string RequestPath => Path.Combine(TestContext.CurrentContext.TestDirectory, "demo", "request.json");

    public static string ExpectedPath => Path.Combine(TestContext.CurrentContext.TestDirectory, "demo", "expected.json");
}
