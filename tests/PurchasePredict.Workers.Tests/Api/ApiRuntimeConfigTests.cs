using System.Text.Json;
using PurchasePredict.Workers.Tests.Infrastructure;

namespace PurchasePredict.Workers.Tests.Api;

/// <summary>
/// The API's runtime settings for many small processes on few cores (docs/workers.md): published into its
/// runtimeconfig.json, which native AOT bakes into the binary.
/// </summary>
public class ApiRuntimeConfigTests
{
    [TestCase("System.GC.Server", "false")]
    [TestCase("System.GC.Concurrent", "false")]
    [TestCase("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", "0")]
    [TestCase("System.Threading.ThreadPool.MinThreads", "4")]
    public void RuntimeConfig_HasTheSettingForWorkers(string property, string expected)
    {
        var path = Path.ChangeExtension(HostProcess.ApiDll, ".runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.That(properties.TryGetProperty(property, out var value) ? value.ToString().ToLowerInvariant() : null,
            Is.EqualTo(expected), $"{property} in {path}");
    }
}
