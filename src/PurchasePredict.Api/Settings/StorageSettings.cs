using Microsoft.Extensions.Configuration;

namespace PurchasePredict.Api.Settings;

/// <summary>
/// Which Cloud Storage JSON API <c>gs://</c> models come from, and whether the service authenticates there.
/// By default Google's, with the credential Google's libraries find (GOOGLE_APPLICATION_CREDENTIALS or the
/// VM's metadata server). STORAGE_ENDPOINT names another endpoint that is used the same way, credential
/// included (the sandbox's private bucket). STORAGE_EMULATOR_HOST keeps Google's own meaning: an emulator
/// reached without any credential.
/// </summary>
public sealed record StorageSettings(Uri? Endpoint, bool Anonymous)
{
    public static StorageSettings Load(IConfiguration config)
    {
        var endpoint = Value(config, "STORAGE_ENDPOINT");
        var emulator = Value(config, "STORAGE_EMULATOR_HOST");
        if (endpoint is not null && emulator is not null)
            throw new SettingsException($"STORAGE_ENDPOINT='{endpoint}' and STORAGE_EMULATOR_HOST='{emulator}' are both set: set STORAGE_ENDPOINT to authenticate, STORAGE_EMULATOR_HOST not to");
        if (endpoint is not null) return new StorageSettings(Url("STORAGE_ENDPOINT", endpoint), Anonymous: false);
        // Google's libraries accept a bare host:port here.
        if (emulator is not null) return new StorageSettings(Url("STORAGE_EMULATOR_HOST", emulator.Contains("://", StringComparison.Ordinal) ? emulator : "http://" + emulator), Anonymous: true);
        return new StorageSettings(null, Anonymous: false);
    }

    private static Uri Url(string key, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.AbsolutePath == "/"
            ? url
            : throw new SettingsException($"{key}='{value}' is not an http(s) URL of a host (http://host:port)");

    private static string? Value(IConfiguration config, string key) =>
        string.IsNullOrWhiteSpace(config[key]) ? null : config[key]!.Trim();
}
