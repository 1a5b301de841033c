using System.Globalization;
using Microsoft.Extensions.Configuration;
using PurchasePredict.Api.Loading;

namespace PurchasePredict.Api.Settings;

/// <summary>
/// Everything the service reads from its environment (or command line, as --KEY=value), read and
/// validated once at start. src/PurchasePredict.Api/README.md lists each variable.
/// </summary>
public sealed record ApiSettings(
    int Port,
    long MaxBodyBytes,
    int MaxRows,
    long MaxFrameBytes,
    int MaxLargeRequests,
    ModelLocation Model,
    Uri? MlflowServer,
    string? ModelName = null,
    bool Metrics = true,
    bool AccessLog = false)
{
    public const int DefaultPort = 8080;
    public const long DefaultMaxBodyBytes = 10 * 1024 * 1024;
    public const int DefaultMaxRows = 10_000;

    /// <summary>16 MiB: MAX_ROWS rows of up to 200 features (8 bytes a value) fit in it.</summary>
    public const long DefaultMaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>One large body read at a time per worker: the container's memory limit is sized for that (docs/deploy.md).</summary>
    public const int DefaultMaxLargeRequests = 1;

    public static ApiSettings Load(IConfiguration config)
    {
        var port = ReadPort(config);
        var maxBody = Integer(config, "MAX_BODY_BYTES", DefaultMaxBodyBytes, 1, 1L << 30);
        var maxRows = (int)Integer(config, "MAX_ROWS", DefaultMaxRows, 1, 10_000_000);
        var maxFrame = Integer(config, "MAX_FRAME_BYTES", DefaultMaxFrameBytes, 1024, 1L << 34);
        var maxLarge = (int)Integer(config, "MAX_LARGE_REQUESTS", DefaultMaxLargeRequests, 1, 1024);
        var mlflow = ReadMlflowServer(config);
        var model = ReadModel(config, mlflow);
        return new ApiSettings(port, maxBody, maxRows, maxFrame, maxLarge, model, mlflow, ReadModelName(config), ReadFlag(config, "METRICS", true),
            ReadFlag(config, "ACCESS_LOG", false));
    }

    private static ModelLocation ReadModel(IConfiguration config, Uri? mlflow)
    {
        var uri = Value(config, "MODEL_URI");
        ModelLocation model;
        if (uri is not null)
        {
            try
            {
                model = ModelLocation.Parse(uri);
            }
            catch (FormatException e)
            {
                throw new SettingsException($"MODEL_URI='{uri}' {e.Message}");
            }
        }
        else
        {
            // The tutorial's env file: the registered model MLFLOW_REGISTRY_NAME at alias (or stage) ENV.
            var name = Value(config, "MLFLOW_REGISTRY_NAME");
            var env = Value(config, "ENV");
            if (name is null || env is null || mlflow is null)
                throw new SettingsException("no model configured: set MODEL_URI, or MLFLOW_SERVER, MLFLOW_REGISTRY_NAME and ENV");
            model = new RegistryModel(name, RegistryReference.AliasOrStage, env);
        }
        if ((model is RegistryModel || model is MlflowArtifactModel) && mlflow is null)
            throw new SettingsException($"MODEL_URI='{uri}' needs MLFLOW_SERVER (the MLflow tracking server's URL)");
        return model;
    }

    /// <summary>MODEL_NAME: the name the Open Inference Protocol serves the model under, one URL path segment.</summary>
    private static string? ReadModelName(IConfiguration config)
    {
        var name = Value(config, "MODEL_NAME");
        if (name is null) return null;
        return name.Length <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') && name is not ("." or "..")
            ? name
            : throw new SettingsException($"MODEL_NAME='{name}' must be 1 to 128 letters, digits, '_', '-' or '.' (it is a URL path segment)");
    }

    private static Uri? ReadMlflowServer(IConfiguration config)
    {
        var value = Value(config, "MLFLOW_SERVER");
        if (value is null) return null;
        // The tutorial's env file may hold a bare host:port.
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new SettingsException($"MLFLOW_SERVER='{value}' is not an http(s) URL");
        return uri;
    }

    /// <summary>The port rule the worker host and the pipeline use too (src/Shared/PortNumber.cs).</summary>
    private static int ReadPort(IConfiguration config)
    {
        var text = Value(config, "PORT");
        if (text is null) return DefaultPort;
        return PortNumber.TryParse(text, out var port)
            ? port
            : throw new SettingsException($"PORT='{text}' must be a whole number from {PortNumber.Min} to {PortNumber.Max}");
    }

    private static bool ReadFlag(IConfiguration config, string key, bool fallback) =>
        Value(config, key)?.ToLowerInvariant() switch
        {
            null => fallback,
            "true" or "1" or "on" => true,
            "false" or "0" or "off" => false,
            _ => throw new SettingsException($"{key}='{config[key]}' must be true or false"),
        };

    private static long Integer(IConfiguration config, string key, long fallback, long min, long max)
    {
        var text = Value(config, key);
        if (text is null) return fallback;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new SettingsException($"{key}='{text}' must be a whole number from {min} to {max}");
        return value;
    }

    private static string? Value(IConfiguration config, string key)
    {
        var value = config[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
