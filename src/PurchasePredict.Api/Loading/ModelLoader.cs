using System.Text;
using PurchasePredict.Api.Settings;
using PurchasePredict.LightGbm;

namespace PurchasePredict.Api.Loading;

/// <summary>Fetches the model text from wherever <see cref="ApiSettings.Model"/> says, and parses it.</summary>
public sealed class ModelLoader(ApiSettings settings, GcsModelDownloader gcs, TimeProvider time)
{
    private static readonly TimeSpan MlflowTimeout = TimeSpan.FromSeconds(30);

    public async Task<LoadedModel> LoadAsync(CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = MlflowTimeout };
        var mlflow = settings.MlflowServer is { } server ? new MlflowRegistryClient(http, WithTrailingSlash(server)) : null;
        var location = settings.Model;
        RegistryVersion? registry = null;
        var source = location.ToString()!;
        if (location is RegistryModel registered)
        {
            var resolved = await mlflow!.ResolveAsync(registered, cancel);
            registry = new RegistryVersion(registered.Name, resolved.Version, resolved.Alias, resolved.Stage);
            try
            {
                location = ModelLocation.ForArtifactDirectory(resolved.ArtifactUri);
            }
            catch (FormatException e)
            {
                throw new ModelLoadException($"{registered}: version {resolved.Version} is stored at '{resolved.ArtifactUri}', which {e.Message}");
            }
            source = $"{registered} (version {resolved.Version}) -> {location}";
        }
        var (bytes, generation) = location switch
        {
            LocalModel file => (await ReadFileAsync(file, cancel), null),
            GcsModel model => await gcs.DownloadAsync(model, cancel),
            MlflowArtifactModel artifact => (await mlflow!.DownloadArtifactAsync(artifact, cancel), (long?)null),
            _ => throw new ModelLoadException($"{location}: an MLflow artifact location cannot point at the registry again"),
        };
        try
        {
            var model = LightGbmModel.Parse(Encoding.UTF8.GetString(bytes));
            return new LoadedModel(model, source, ModelIdentity.Of(settings.Model, location, registry, generation, bytes, model, time.GetUtcNow()));
        }
        catch (ModelFormatException e)
        {
            throw new ModelLoadException($"{source}: not a LightGBM text model: {e.Message}", e);
        }
    }

    private static async Task<byte[]> ReadFileAsync(LocalModel file, CancellationToken cancel)
    {
        try
        {
            return await File.ReadAllBytesAsync(file.Path, cancel);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"{file.Path}: {e.Message}", e);
        }
    }

    private static Uri WithTrailingSlash(Uri server) =>
        server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
}
