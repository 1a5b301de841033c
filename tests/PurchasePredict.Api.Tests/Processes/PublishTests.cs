using System.Diagnostics;
using System.Reflection;

namespace PurchasePredict.Api.Tests.Processes;

/// <summary>What `dotnet publish` of the service leaves in its output: no debug symbols (they go beside it).</summary>
public class PublishTests
{
    [Test]
    public async Task Publish_KeepsSymbolsOutOfTheOutput_AndBesideIt()
    {
        var configuration = typeof(PublishTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var root = Directory.CreateTempSubdirectory("publish-check").FullName;
        try
        {
            var output = Path.Combine(root, "publish");
            // The service is already built in this configuration (it is a reference of these tests): publish only copies.
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "publish", Path.Combine(Repo.Root, "src", "PurchasePredict.Api"), "-c", configuration, "--no-build", "--no-restore", "-o", output })
                start.ArgumentList.Add(argument);
            using var publish = Process.Start(start)!;
            var log = await publish.StandardOutput.ReadToEndAsync() + await publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();

            Assert.That(publish.ExitCode, Is.EqualTo(0), log);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(Directory.GetFiles(output, "purchase_predict_api.dll"), Has.Length.EqualTo(1));
                Assert.That(Directory.GetFiles(output, "*.pdb", SearchOption.AllDirectories), Is.Empty);
                Assert.That(Directory.GetFiles(Path.Combine(root, "symbols")).Select(Path.GetFileName),
                    Is.SupersetOf(new[] { "purchase_predict_api.pdb", "PurchasePredict.Workers.pdb", "PurchasePredict.LightGbm.pdb" }));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
