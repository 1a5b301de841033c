namespace PurchasePredict.Api.Loading;

/// <summary>Where a model's text comes from, parsed from MODEL_URI or from an MLflow artifact URI.</summary>
public abstract record ModelLocation
{
    /// <summary>The file name MLflow's lightgbm flavour gives the model inside a model version's artifact directory.</summary>
    public const string MlflowModelFile = "model.lgb";

    /// <summary>
    /// A path, <c>file://</c>, <c>gs://bucket/object</c> (<c>#generation</c> pins one version), <c>mlflow-artifacts:/path</c>,
    /// <c>models:/name/stage-or-version-or-latest</c> or <c>models:/name@alias</c>.
    /// </summary>
    public static ModelLocation Parse(string uri)
    {
        if (string.IsNullOrWhiteSpace(uri)) throw new FormatException("is empty");
        if (uri.StartsWith("gs://", StringComparison.Ordinal)) return GcsModel.Parse(uri);
        if (uri.StartsWith("models:/", StringComparison.Ordinal)) return RegistryModel.Parse(uri);
        if (uri.StartsWith("mlflow-artifacts:", StringComparison.Ordinal)) return new MlflowArtifactModel(uri["mlflow-artifacts:".Length..].TrimStart('/'));
        if (uri.StartsWith("file:", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var file) || !file.IsFile) throw new FormatException("is not a valid file:// URI");
            return new LocalModel(file.LocalPath);
        }
        var scheme = uri.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0) throw new FormatException($"has unsupported scheme '{uri[..scheme]}' (use a path, file://, gs://, models:/ or mlflow-artifacts:)");
        return new LocalModel(uri);
    }

    /// <summary>The model file inside an MLflow model version's artifact directory.</summary>
    public static ModelLocation ForArtifactDirectory(string artifactUri) =>
        Parse(artifactUri.TrimEnd('/') + "/" + MlflowModelFile);
}

public sealed record LocalModel(string Path) : ModelLocation
{
    public override string ToString() => Path;
}

/// <summary>A Cloud Storage object; with a generation (<c>gs://bucket/object#1701234567890123</c>), that version of it only.</summary>
public sealed record GcsModel(string Bucket, string ObjectName, long? Generation = null) : ModelLocation
{
    public static new GcsModel Parse(string uri)
    {
        var rest = uri["gs://".Length..];
        long? generation = null;
        var hash = rest.LastIndexOf('#');
        if (hash >= 0)
        {
            if (!long.TryParse(rest[(hash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pinned) || pinned <= 0)
                throw new FormatException("must be gs://BUCKET/OBJECT or gs://BUCKET/OBJECT#GENERATION (a positive whole number)");
            (generation, rest) = (pinned, rest[..hash]);
        }
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1) throw new FormatException("must be gs://BUCKET/OBJECT or gs://BUCKET/OBJECT#GENERATION");
        return new GcsModel(rest[..slash], rest[(slash + 1)..], generation);
    }

    public override string ToString() => $"gs://{Bucket}/{ObjectName}" + (Generation is { } g ? $"#{g}" : "");
}

/// <summary>A file served by an MLflow tracking server with proxied artifacts (its default since MLflow 2).</summary>
public sealed record MlflowArtifactModel(string Path) : ModelLocation
{
    public override string ToString() => $"mlflow-artifacts:/{Path}";
}

public enum RegistryReference { Alias, Stage, Version, Latest, AliasOrStage }

/// <summary>A registered model version: <c>models:/name@alias</c>, <c>models:/name/Stage</c>, <c>/3</c> or <c>/latest</c>.</summary>
public sealed record RegistryModel(string Name, RegistryReference Kind, string Reference) : ModelLocation
{
    public static new RegistryModel Parse(string uri)
    {
        var rest = uri["models:/".Length..];
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            if (at == 0 || at == rest.Length - 1 || rest.Contains('/')) throw new FormatException("must be models:/NAME@ALIAS");
            return new RegistryModel(rest[..at], RegistryReference.Alias, rest[(at + 1)..]);
        }
        var slash = rest.LastIndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1) throw new FormatException("must be models:/NAME/STAGE, models:/NAME/VERSION, models:/NAME/latest or models:/NAME@ALIAS");
        var (name, reference) = (rest[..slash], rest[(slash + 1)..]);
        if (reference.Equals("latest", StringComparison.OrdinalIgnoreCase)) return new RegistryModel(name, RegistryReference.Latest, reference);
        if (reference.All(char.IsAsciiDigit)) return new RegistryModel(name, RegistryReference.Version, reference);
        return new RegistryModel(name, RegistryReference.Stage, reference);
    }

    public override string ToString() => Kind switch
    {
        RegistryReference.Alias => $"models:/{Name}@{Reference}",
        RegistryReference.AliasOrStage => $"models:/{Name}@{Reference} (or stage {Reference})",
        _ => $"models:/{Name}/{Reference}",
    };
}
