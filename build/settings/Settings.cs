#nullable enable
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

// Reads the settings of one environment: ops/environments/<env>.json, each value overridable by a Cake
// argument (--kebab-case) and an environment variable (PP_UPPER_SNAKE); precedence: argument, then
// variable, then file. Names and kinds come from SettingCatalog. The file's keys are checked first
// (an unknown key is an error naming it and the file), then the overrides are applied and the result is
// deserialised once, with System.Text.Json, into EnvironmentFile. Every value keeps its source, so that
// every later error can name both. Settings knows nothing of Cake: the two lookups are functions, which
// is what tests pass.
public sealed class Settings
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };

    private readonly IReadOnlyDictionary<string, SettingValue> _values;

    private Settings(string filePath, string environment, IReadOnlyDictionary<string, SettingValue> values, EnvironmentFile file)
    {
        FilePath = filePath;
        Environment = environment;
        _values = values;
        File = file;
    }

    // The environment file, as it should appear in messages.
    public string FilePath { get; }

    // The environment's name (the file's name without .json).
    public string Environment { get; }

    // Every setting, typed, overrides applied.
    public EnvironmentFile File { get; }

    // Picks the environment (--env, PP_ENV, default "sandbox") and reads its file from directory.
    public static Settings Load(string directory, Func<string, string?> argument, Func<string, string?> variable)
    {
        var (name, source) = argument(SettingCatalog.EnvironmentArgument) is { } a ? (a, "argument --env")
            : variable("PP_ENV") is { } e ? (e, "environment variable PP_ENV")
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
        return Parse(path, name, System.IO.File.ReadAllText(path), argument, variable);
    }

    public static Settings Parse(string filePath, string environment, string json, Func<string, string?> argument, Func<string, string?> variable)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new SettingsException($"{filePath} is not a JSON object.");
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new SettingsException($"{filePath} is not valid JSON: {e.Message}");
        }
        CheckKeys(root, "", filePath);
        var values = new Dictionary<string, SettingValue>();
        foreach (var setting in SettingCatalog.All)
        {
            if (Override(setting, argument, variable) is { } value)
            {
                values[setting.Key] = value;
                Set(root, setting.Key, ToNode(setting, value), filePath);
            }
            else if (At(root, setting.Key) is { } node)
            {
                values[setting.Key] = new SettingValue(setting.Key, TextOf(node), $"{filePath} ({setting.Key})");
            }
        }
        RemoveNulls(root);
        try
        {
            return new Settings(filePath, environment, values, root.Deserialize<EnvironmentFile>(Json)!);
        }
        catch (JsonException e)
        {
            throw WrongType(e.Path ?? "$", values, filePath);
        }
    }

    public SettingValue? Get(string key) => _values.GetValueOrDefault(key);

    public SettingValue Require(string key) =>
        Get(key) is { Value.Length: > 0 } value ? value : throw Missing(key);

    // Where a value could come from, for a setting nobody set.
    public SettingsException Missing(string key)
    {
        var setting = SettingCatalog.Find(key) ?? throw new ArgumentException($"'{key}' is not a setting.", nameof(key));
        return new SettingsException($"Setting '{key}' is missing: set it in {FilePath}, pass --{setting.Argument}=..., or set {setting.Variable}.");
    }

    public static string ArgumentName(string key) =>
        string.Join("-", key.Split('.').Select(part => Regex.Replace(part, "(?<=[a-z0-9])([A-Z])", "-$1").ToLowerInvariant()));

    public static string VariableName(string key) => VariableFor(ArgumentName(key));

    public static string VariableFor(string argument) => "PP_" + argument.Replace('-', '_').ToUpperInvariant();

    private static SettingValue? Override(SettingDefinition setting, Func<string, string?> argument, Func<string, string?> variable) =>
        argument(setting.Argument) is { } fromArgument ? new SettingValue(setting.Key, fromArgument, $"argument --{setting.Argument}")
        : variable(setting.Variable) is { } fromVariable ? new SettingValue(setting.Key, fromVariable, $"environment variable {setting.Variable}")
        : null;

    // An unknown key is most likely a typo that would otherwise be silently ignored.
    private static void CheckKeys(JsonObject node, string path, string filePath)
    {
        var known = SettingCatalog.ChildrenOf(path).ToList();
        foreach (var (name, child) in node)
        {
            if (name == "$comment")
            {
                continue;
            }
            var key = path.Length == 0 ? name : path + "." + name;
            if (!known.Contains(name))
            {
                var prefix = path.Length == 0 ? "" : path + ".";
                throw new SettingsException($"{filePath}: unknown key '{key}'{ClosestMatch.Suggestion(name, known, prefix)}.");
            }
            if (SettingCatalog.Sections.Contains(key) && child is JsonObject section)
            {
                CheckKeys(section, key, filePath);
            }
        }
    }

    private static JsonNode? ToNode(SettingDefinition setting, SettingValue value)
    {
        var text = value.Value.Length == 0 && setting.BareValue is { } bare ? bare : value.Value;
        switch (setting.Kind)
        {
            case SettingKind.Number:
                return int.TryParse(text, out var number) ? JsonValue.Create(number) : throw value.Invalid("expected a whole number.");
            case SettingKind.Flag:
                // A bare flag (--force) arrives as an empty value.
                return text.Length == 0 ? JsonValue.Create(true)
                    : bool.TryParse(text, out var flag) ? JsonValue.Create(flag) : throw value.Invalid("expected true or false.");
            case SettingKind.List:
                if (!text.TrimStart().StartsWith('['))
                {
                    return new JsonArray(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(item => (JsonNode?)JsonValue.Create(item)).ToArray());
                }
                return ParseJson(text, value, "expected a list of strings.") is JsonArray list && list.All(i => i is JsonValue v && v.TryGetValue<string>(out _))
                    ? list : throw value.Invalid("expected a list of strings.");
            case SettingKind.Json:
                return ParseJson(text, value, "expected JSON.");
            default:
                return JsonValue.Create(text);
        }
    }

    private static JsonNode? ParseJson(string text, SettingValue value, string expected)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw value.Invalid(expected);
        }
    }

    private static JsonNode? At(JsonObject root, string key)
    {
        JsonNode? node = root;
        foreach (var part in key.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
        }
        return node;
    }

    private static void Set(JsonObject root, string key, JsonNode? value, string filePath)
    {
        var parts = key.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (!node.TryGetPropertyValue(part, out var child) || child is null)
            {
                child = new JsonObject();
                node[part] = child;
            }
            node = child as JsonObject ?? throw new SettingsException($"{filePath}: '{part}' must be an object.");
        }
        node[parts[^1]] = value;
    }

    // null in the file means "not set": the setting's default applies.
    private static void RemoveNulls(JsonObject node)
    {
        foreach (var name in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(name);
        }
        foreach (var child in node.Select(p => p.Value).OfType<JsonObject>())
        {
            RemoveNulls(child);
        }
    }

    private static string TextOf(JsonNode node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node.ToJsonString();

    // A value of the wrong JSON type, found while deserialising: named by the setting it belongs to.
    private static SettingsException WrongType(string jsonPath, IReadOnlyDictionary<string, SettingValue> values, string filePath)
    {
        var path = Regex.Replace(jsonPath, "^\\$\\.?", "");
        var setting = SettingCatalog.All
            .Where(s => path == s.Key || path.StartsWith(s.Key + ".", StringComparison.Ordinal) || path.StartsWith(s.Key + "[", StringComparison.Ordinal))
            .MaxBy(s => s.Key.Length);
        if (setting is null || !values.TryGetValue(setting.Key, out var value))
        {
            return new SettingsException($"{filePath}: '{path}' must be {(SettingCatalog.Sections.Contains(path) ? "an object" : "of another type")}.");
        }
        var inside = path[setting.Key.Length..].TrimStart('.');
        return inside.Length > 0
            ? value.Invalid($"{setting.Key.Split('.')[^1]}{(inside.StartsWith('[') ? "" : ".")}{inside} has the wrong type: {Expected(inside)}.")
            : value.Invalid(setting.Kind switch
            {
                SettingKind.Number => "expected a whole number.",
                SettingKind.Flag => "expected true or false.",
                SettingKind.List => "expected a list of strings.",
                SettingKind.Json when setting.Key == "deploy.env" => "expected an object of \"NAME\": \"value\".",
                SettingKind.Json => "expected a non-empty list of {\"name\", \"address\", \"sshPort\", \"servicePort\"}.",
                _ => "expected text.",
            });
    }

    private static string Expected(string inside) =>
        inside.EndsWith("Port", StringComparison.Ordinal) ? "expected a port number" : "expected text";
}
