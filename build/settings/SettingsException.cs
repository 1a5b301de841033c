#nullable enable
// One setting's value and where it came from, so that every error can name both.
public sealed record SettingValue(string Key, string Value, string Source)
{
    // An error about this value: "Setting 'project' = 'X' (from argument --project): <why>".
    public SettingsException Invalid(string why) => new($"Setting '{Key}' = '{Value}' (from {Source}): {why}");
}

// A setting, an argument or the environment file is wrong: the message says which, and what is expected.
public sealed class SettingsException(string message) : Exception(message);
