namespace PurchasePredict.Workers.Tests.Infrastructure;

/// <summary>An empty file in the temp folder (a model the test rewrites), deleted with the test.</summary>
internal sealed class TempFile : IDisposable
{
    public string Path { get; } = System.IO.Path.GetTempFileName();

    public void Dispose() => File.Delete(Path);
}
