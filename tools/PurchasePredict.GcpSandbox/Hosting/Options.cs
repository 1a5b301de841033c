namespace PurchasePredict.GcpSandbox.Hosting;

/// <summary>A command line's <c>--name value</c> pairs, checked against the names the command knows.</summary>
public sealed class Options
{
    private readonly Dictionary<string, string> _values;

    private Options(Dictionary<string, string> values) => _values = values;

    public static Options Parse(IReadOnlyList<string> args, IReadOnlySet<string> known)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || !known.Contains(name[2..]))
                throw new UsageException($"unknown option '{name}' (known: {string.Join(", ", known.Order().Select(k => "--" + k))})");
            if (i + 1 >= args.Count) throw new UsageException($"{name} needs a value");
            if (!values.TryAdd(name[2..], args[i + 1])) throw new UsageException($"{name} is given twice");
        }
        return new Options(values);
    }

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new UsageException($"--{name} is required");

    public string? Optional(string name) => _values.GetValueOrDefault(name);

    /// <summary>A comma-separated list; empty when the option is absent.</summary>
    public IReadOnlyList<string> List(string name) =>
        Optional(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>A TCP port on 127.0.0.1; 0 lets the kernel choose (the ready line says which).</summary>
    public int Port() =>
        int.TryParse(Required("port"), out var port) && port is >= 0 and <= 65535
            ? port
            : throw new UsageException($"--port '{Required("port")}' is not a port number (0 to 65535)");

    /// <summary>An absolute http(s) URL.</summary>
    public Uri Url(string name) =>
        Uri.TryCreate(Required(name), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new UsageException($"--{name} '{Required(name)}' is not an http(s) URL");
}
