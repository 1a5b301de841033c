namespace PurchasePredict.Api.Tests.Support;

/// <summary>Paths in the repository, found from the test binaries' location.</summary>
public static class Repo
{
    public static string Root => TestRepository.Root;

    public static string DemoModel => Path.Combine(Root, "models", "demo", "model.txt");

    public static string DemoRequest => Path.Combine(Root, "models", "demo", "request.json");

    public static string DemoExpected => Path.Combine(Root, "models", "demo", "expected.json");

    /// <summary>The service's own entry assembly, copied next to the tests by the project reference.</summary>
    public static string ServiceDll => Path.Combine(AppContext.BaseDirectory, "purchase_predict_api.dll");
}
