#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

// One setting's value and where it came from, so that every error can name both.
public sealed record SettingValue(string Key, string Value, string Source)
{
    // An error about this value: "Setting 'project' = 'X' (from argument --project): <why>".
    public SettingsException Invalid(string why) => new($"Setting '{Key}' = '{Value}' (from {Source}): {why}");
}

public sealed class SettingsException(string message) : Exception(message);

// Reads settings for one environment: ops/environments/<env>.json, each value overridable by a
// Cake argument (--kebab-case) and an environment variable (PP_UPPER_SNAKE). Precedence:
// argument, then environment variable, then file. Keys are dotted paths into the file
// ("registry", "deploy.sshUser"); the argument and variable names derive from the whole path
// ("deploy.sshUser" -> --deploy-ssh-user, PP_DEPLOY_SSH_USER) unless a caller names them.
// Settings knows nothing of Cake: the two lookups are functions, which is what tests pass.
public sealed class Settings
{
    private readonly JsonElement _file;
    private readonly Func<string, string?> _argument;
    private readonly Func<string, string?> _environment;

    public Settings(string filePath, JsonElement file, Func<string, string?> argument, Func<string, string?> environment)
    {
        FilePath = filePath;
        _file = file;
        _argument = argument;
        _environment = environment;
    }

    // The environment file, as it should appear in messages (relative to the repository root).
    public string FilePath { get; }

    // Picks the environment (--env, PP_ENV, default "sandbox") and reads its file from directory.
    public static Settings Load(string directory, Func<string, string?> argument, Func<string, string?> environment)
    {
        var (name, source) = argument("env") is { } a ? (a, "argument --env")
            : environment("PP_ENV") is { } e ? (e, "environment variable PP_ENV")
            : ("sandbox", "default");
        var env = new SettingValue("env", name, source);
        if (!Regex.IsMatch(name, "^[a-z][a-z0-9-]{0,30}$"))
        {
            throw env.Invalid("an environment name is lowercase letters, digits and hyphens.");
        }
        var path = System.IO.Path.Combine(directory, name + ".json");
        if (!System.IO.File.Exists(path))
        {
            var known = System.IO.Directory.Exists(directory)
                ? string.Join(", ", System.IO.Directory.GetFiles(directory, "*.json").Select(System.IO.Path.GetFileNameWithoutExtension).Order())
                : "none";
            throw env.Invalid($"there is no {path} (environments: {known}).");
        }
        JsonElement file;
        try
        {
            using var document = JsonDocument.Parse(System.IO.File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            file = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new SettingsException($"{path} is not valid JSON: {ex.Message}");
        }
        return new Settings(path, file, argument, environment) { Environment = name };
    }

    // The environment's name (the file's name without .json).
    public string Environment { get; init; } = "sandbox";

    public static string ArgumentName(string key) =>
        string.Join("-", key.Split('.').Select(Kebab));

    public static string VariableName(string key) => VariableFor(ArgumentName(key));

    // The value of key, or null when neither argument, variable nor file sets it (or the file has null).
    public SettingValue? Get(string key, string? argumentName = null)
    {
        var argument = argumentName ?? ArgumentName(key);
        if (_argument(argument) is { } fromArgument)
        {
            return new SettingValue(key, fromArgument, $"argument --{argument}");
        }
        var variable = VariableFor(argument);
        if (_environment(variable) is { } fromVariable)
        {
            return new SettingValue(key, fromVariable, $"environment variable {variable}");
        }
        return FileElement(key) is { ValueKind: not JsonValueKind.Null } element
            ? new SettingValue(key, element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText(), $"{FilePath} ({key})")
            : null;
    }

    public SettingValue Require(string key, string? argumentName = null) =>
        Get(key, argumentName) is { Value.Length: > 0 } value ? value : throw Missing(key, argumentName);

    public string? String(string key, string? argumentName = null) => Get(key, argumentName)?.Value;

    public int Int(string key, int fallback, string? argumentName = null)
    {
        var value = Get(key, argumentName);
        if (value is null) return fallback;
        return int.TryParse(value.Value, out var number) ? number : throw value.Invalid("expected a whole number.");
    }

    public bool Bool(string key, bool fallback, string? argumentName = null)
    {
        var value = Get(key, argumentName);
        if (value is null) return fallback;
        // A bare flag (--force) arrives as an empty value.
        if (value.Value.Length == 0) return true;
        return bool.TryParse(value.Value, out var flag) ? flag : throw value.Invalid("expected true or false.");
    }

    // A list: a JSON array in the file, or a comma-separated argument/variable.
    public IReadOnlyList<string> List(string key, string? argumentName = null)
    {
        var value = Get(key, argumentName);
        if (value is null) return [];
        if (value.Value.TrimStart().StartsWith('['))
        {
            try
            {
                return JsonSerializer.Deserialize<string[]>(value.Value) ?? [];
            }
            catch (JsonException)
            {
                throw value.Invalid("expected a list of strings.");
            }
        }
        return value.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    // A structured value (object or array), from the file or as JSON text in an argument/variable.
    public (JsonElement Element, SettingValue Value)? Json(string key, string? argumentName = null)
    {
        var value = Get(key, argumentName);
        if (value is null) return null;
        try
        {
            using var document = JsonDocument.Parse(value.Value);
            return (document.RootElement.Clone(), value);
        }
        catch (JsonException)
        {
            throw value.Invalid("expected JSON.");
        }
    }

    public SettingsException Missing(string key, string? argumentName = null)
    {
        var argument = argumentName ?? ArgumentName(key);
        var variable = VariableFor(argument);
        return new SettingsException(
            $"Setting '{key}' is missing: set it in {FilePath}, pass --{argument}=..., or set {variable}.");
    }

    private JsonElement? FileElement(string key)
    {
        var element = _file;
        foreach (var part in key.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return null;
            }
        }
        return element;
    }

    private static string VariableFor(string argument) => "PP_" + argument.Replace('-', '_').ToUpperInvariant();

    private static string Kebab(string camel) =>
        Regex.Replace(camel, "(?<=[a-z0-9])([A-Z])", "-$1").ToLowerInvariant();
}
