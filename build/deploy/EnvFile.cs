#nullable enable
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

// Renders the service's env file (ops/purchase_predict_api.env) for one host. The result holds
// secrets, so it is a Secret itself: it can be written to a 0600 file, never printed.
public static class EnvFile
{
    private static readonly Regex Line = new(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)=\$\{(?<var>[A-Za-z_][A-Za-z0-9_]*)(?<optional>:-(?<default>[^}]*))?\}$", RegexOptions.Compiled);
    private static readonly Regex Name = new(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.Compiled);

    // Names of required variables (NAME=${NAME}) that have no value: Deploy checks this before it contacts any VM.
    public static IReadOnlyList<string> MissingRequired(string template, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, Secret> secrets) =>
        Entries(template)
            .Where(e => !e.Optional && string.IsNullOrEmpty(Value(e, values, secrets)?.Text))
            .Select(e => e.Variable)
            .ToList();

    public static Secret Render(string template, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, Secret> secrets)
    {
        var missing = MissingRequired(template, values, secrets);
        if (missing.Count > 0)
        {
            throw new SettingsException($"The env file needs {string.Join(", ", missing)}: set it in deploy.env of the environment file or in the secrets file.");
        }
        foreach (var name in values.Keys.Concat(secrets.Keys).Where(n => !Name.IsMatch(n)))
        {
            throw new SettingsException($"'{name}' is not a valid environment variable name.");
        }
        var entries = Entries(template).ToList();
        var text = new StringBuilder("# Written by Deploy from ops/purchase_predict_api.env; changes here are lost at the next deploy.\n");
        foreach (var entry in entries)
        {
            var value = Value(entry, values, secrets) ?? new RenderedValue(entry.Default ?? "", entry.Variable, false);
            if (value.Text.Length > 0)
            {
                text.Append(entry.Name).Append('=').Append(Checked(entry.Name, value)).Append('\n');
            }
        }
        var listed = entries.Select(e => e.Variable).ToHashSet();
        foreach (var name in values.Keys.Concat(secrets.Keys).Distinct().Where(n => !listed.Contains(n)).OrderBy(n => n, StringComparer.Ordinal))
        {
            var value = Value(new Entry(name, name, true, null), values, secrets)!;
            text.Append(name).Append('=').Append(Checked(name, value)).Append('\n');
        }
        return new Secret(text.ToString());
    }

    // docker --env-file takes the value after the first '=' verbatim up to the end of the line: quotes,
    // backslashes, '#' and spaces are the value's own. Only what a line can't hold is refused (docker drops
    // a final \r, and no environment holds a NUL).
    private static string Checked(string name, RenderedValue value) =>
        value.Text.Contains('\n') || value.Text.Contains('\r')
            ? throw new SettingsException($"{name}: the value {(value.IsSecret ? "from the secrets file " : "")}spans several lines; an env file holds one line per variable.")
            : value.Text.Contains('\0')
            ? throw new SettingsException($"{name}: the value {(value.IsSecret ? "from the secrets file " : "")}holds a NUL character, which no environment variable can.")
            : value.Text;

    // Secrets win over plain settings, so a secrets file can override anything.
    private static RenderedValue? Value(Entry entry, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, Secret> secrets) =>
        secrets.TryGetValue(entry.Variable, out var secret) ? new RenderedValue(secret.Value, entry.Variable, true)
        : values.TryGetValue(entry.Variable, out var plain) ? new RenderedValue(plain, entry.Variable, false)
        : null;

    private static IEnumerable<Entry> Entries(string template)
    {
        var number = 0;
        foreach (var raw in template.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var match = Line.Match(line);
            if (!match.Success)
            {
                throw new SettingsException($"ops/purchase_predict_api.env line {number}: expected NAME=${{NAME}} or NAME=${{NAME:-default}}, found '{line}'.");
            }
            yield return new Entry(match.Groups["name"].Value, match.Groups["var"].Value,
                match.Groups["optional"].Success, match.Groups["default"].Success ? match.Groups["default"].Value : null);
        }
    }

    private sealed record Entry(string Name, string Variable, bool Optional, string? Default);

    private sealed record RenderedValue(string Text, string Variable, bool IsSecret);
}
