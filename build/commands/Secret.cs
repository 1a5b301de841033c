#nullable enable
// A value that must never be printed: every rendering of it is "***".
// Only the executor reads Value, when it hands the secret to a process.
public sealed class Secret
{
    public Secret(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    public string Value { get; }

    public override string ToString() => "***";
}
