using PurchasePredict.Api.Tests.Support;

/// <summary>Removes the services published for this run (a SetUpFixture outside any namespace runs once for the assembly).</summary>
[SetUpFixture]
public sealed class PublishedServiceCleanup
{
    [OneTimeTearDown]
    public void RemovePublishedServices()
    {
        if (Directory.Exists(PublishedService.Folder)) Directory.Delete(PublishedService.Folder, recursive: true);
    }
}
