namespace PurchasePredict.GcpSandbox.Mlflow;

/// <summary>
/// Proxied artifacts (<c>mlflow-artifacts:/PATH</c>, MLflow's default since 2.0), as files under
/// <c>STATE/mlflow/artifacts/</c>. A path that would leave that folder is refused.
/// </summary>
public sealed class MlflowArtifacts(string stateDirectory)
{
    private readonly string _root = Path.GetFullPath(Path.Combine(stateDirectory, "mlflow", "artifacts"));

    public string? Find(string path) => Resolve(path) is { } file && File.Exists(file) ? file : null;

    public async Task SaveAsync(string path, Stream content, CancellationToken cancel)
    {
        var file = Resolve(path) ?? throw new MlflowException("INVALID_PARAMETER_VALUE", $"Invalid artifact path: {path}");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temporary = file + ".uploading";
        await using (var output = File.Create(temporary)) await content.CopyToAsync(output, cancel);
        File.Move(temporary, file, overwrite: true);
    }

    private string? Resolve(string path)
    {
        var file = Path.GetFullPath(Path.Combine(_root, path));
        return file.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? file : null;
    }
}
