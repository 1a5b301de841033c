#nullable enable
// Reads the git-ignored secrets file (NAME=value lines, # comments). Errors name the line, never the value.
public static class SecretsFile
{
    public static IReadOnlyDictionary<string, Secret> Read(string? path)
    {
        var secrets = new Dictionary<string, Secret>(StringComparer.Ordinal);
        if (path is null)
        {
            return secrets;
        }
        var number = 0;
        foreach (var raw in System.IO.File.ReadAllLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                throw new SettingsException($"{path} line {number}: expected NAME=value.");
            }
            secrets[line[..equals].Trim()] = new Secret(line[(equals + 1)..]);
        }
        return secrets;
    }
}
