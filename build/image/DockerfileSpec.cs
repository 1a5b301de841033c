#nullable enable
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

// What ops/Dockerfile says about the image, read by the Image step, which assembles the image itself
// (ImageAssembler) instead of running `docker build`, whose legacy builder stamps build times into the
// image. The Dockerfile stays the one readable description of the image, and `docker build` of it
// still works by hand. Only what an image of published files needs is understood: one COPY of the
// build context, metadata instructions, and FROM ${BASE_IMAGE}; anything else (RUN, ADD, a second
// COPY) is an error naming the line, since the assembler would silently leave it out.
public sealed record DockerfileSpec(
    string CopyDestination,
    int Owner,
    int Group,
    string? WorkingDirectory,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string? User,
    IReadOnlyList<string> ExposedPorts,
    Healthcheck? Healthcheck,
    IReadOnlyList<string>? Entrypoint)
{
    // The build argument that names the base: the pipeline's baseImage setting.
    public const string BaseArgument = "BASE_IMAGE";

    public static DockerfileSpec Read(string path) =>
        System.IO.File.Exists(path)
            ? Parse(System.IO.File.ReadAllText(path), path)
            : throw new InvalidOperationException($"{path} is missing: the image is described by the clone's ops/Dockerfile.");

    public static DockerfileSpec Parse(string text, string source)
    {
        var spec = new Builder();
        foreach (var (number, line) in Instructions(text))
        {
            var space = line.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var rest = space < 0 ? "" : line[(space + 1)..].Trim();
            try
            {
                spec.Apply(keyword, rest);
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"{source}, line {number}: {keyword}: {e.Message}");
            }
        }
        return spec.Build(source);
    }

    // Instructions with their first line's number: comments and blank lines dropped, continuations joined.
    private static IEnumerable<(int Number, string Line)> Instructions(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var current = "";
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0))
            {
                continue;
            }
            if (current.Length == 0)
            {
                start = i + 1;
            }
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }
            current += line;
            if (current.Trim().Length > 0)
            {
                yield return (start, current.Trim());
            }
            current = "";
        }
        if (current.Trim().Length > 0)
        {
            yield return (start, current.Trim());
        }
    }

    private sealed class Builder
    {
        private readonly List<KeyValuePair<string, string>> _environment = [];
        private readonly List<string> _ports = [];
        private bool _from;
        private string? _copy;
        private (int, int) _owner = (0, 0);
        private string? _workingDirectory;
        private string? _user;
        private Healthcheck? _healthcheck;
        private IReadOnlyList<string>? _entrypoint;

        public void Apply(string keyword, string rest)
        {
            var words = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            switch (keyword)
            {
                case "ARG":
                    break;
                case "FROM":
                    _from = rest == $"${{{BaseArgument}}}" || rest == $"${BaseArgument}"
                        ? true
                        : throw new FormatException($"expected FROM ${{{BaseArgument}}}: the base is the pipeline's baseImage setting.");
                    break;
                case "COPY":
                    Copy(words);
                    break;
                case "WORKDIR":
                    _workingDirectory = AbsolutePath(rest);
                    break;
                case "ENV":
                    foreach (var pair in words)
                    {
                        var equals = pair.IndexOf('=');
                        if (equals <= 0 || pair.Contains('"') || pair.Contains('\''))
                        {
                            throw new FormatException($"expected NAME=value pairs without quotes, not '{pair}'.");
                        }
                        _environment.RemoveAll(e => e.Key == pair[..equals]);
                        _environment.Add(new(pair[..equals], pair[(equals + 1)..]));
                    }
                    break;
                case "USER":
                    _user = words.Length == 1 ? words[0] : throw new FormatException("expected one user[:group].");
                    break;
                case "EXPOSE":
                    _ports.AddRange(words.Select(w => Regex.IsMatch(w, "^[0-9]{1,5}(/(tcp|udp))?$") ? (w.Contains('/') ? w : w + "/tcp") : throw new FormatException($"not a port: '{w}'.")));
                    break;
                case "HEALTHCHECK":
                    _healthcheck = Healthcheck.Parse(words);
                    break;
                case "ENTRYPOINT":
                    _entrypoint = ExecForm(rest);
                    break;
                default:
                    throw new FormatException("not supported: the image is assembled from the published files without running anything (docs/pipeline.md).");
            }
            if (keyword != "ARG" && !_from)
            {
                throw new FormatException("comes before FROM.");
            }
        }

        public DockerfileSpec Build(string source) =>
            _copy is null
                ? throw new InvalidOperationException($"{source}: no COPY of the build context (the published files).")
                : new DockerfileSpec(_copy, _owner.Item1, _owner.Item2, _workingDirectory, _environment, _user, _ports, _healthcheck, _entrypoint);

        private void Copy(string[] words)
        {
            if (_copy is not null)
            {
                throw new FormatException("only one COPY, of the whole build context, is supported.");
            }
            var options = words.TakeWhile(w => w.StartsWith("--")).ToList();
            var paths = words.Skip(options.Count).ToList();
            if (paths is not [".", var destination])
            {
                throw new FormatException("expected COPY [--chown=uid:gid] . /destination/.");
            }
            foreach (var option in options)
            {
                var chown = Regex.Match(option, "^--chown=([0-9]+):([0-9]+)$");
                _owner = chown.Success
                    ? (int.Parse(chown.Groups[1].Value), int.Parse(chown.Groups[2].Value))
                    : throw new FormatException($"only --chown=<uid>:<gid> (numeric) is supported, not '{option}'.");
            }
            _copy = AbsolutePath(destination).TrimEnd('/');
        }

        private static string AbsolutePath(string path) =>
            path.StartsWith('/') && !path.Split('/').Contains("..") && !path.Any(char.IsWhiteSpace)
                ? path
                : throw new FormatException($"expected an absolute path, not '{path}'.");
    }

    // ["program", "argument", ...]: the exec form, the only one without a shell in the image.
    public static IReadOnlyList<string> ExecForm(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(text) is { Length: > 0 } list
                ? list
                : throw new FormatException("expected a non-empty JSON list.");
        }
        catch (JsonException)
        {
            throw new FormatException($"expected the exec form, a JSON list such as [\"/app/program\"], not '{text}'.");
        }
    }
}

// HEALTHCHECK [--interval=10s] [--timeout=5s] [--start-period=20s] [--retries=3] CMD ["..."], in the
// image config's units (nanoseconds), as docker build writes it.
public sealed record Healthcheck(IReadOnlyList<string> Test, long Interval, long Timeout, long StartPeriod, int Retries)
{
    public static Healthcheck Parse(string[] words)
    {
        var options = words.TakeWhile(w => w.StartsWith("--")).ToDictionary(w => w.Split('=')[0], w => w.Contains('=') ? w[(w.IndexOf('=') + 1)..] : "");
        var rest = words.Skip(options.Count).ToList();
        if (rest.Count < 2 || rest[0] != "CMD")
        {
            throw new FormatException("expected [options] CMD [\"program\", ...].");
        }
        var unknown = options.Keys.Except(["--interval", "--timeout", "--start-period", "--retries"]).FirstOrDefault();
        if (unknown is not null)
        {
            throw new FormatException($"unknown option {unknown}.");
        }
        return new Healthcheck(
            ["CMD", .. DockerfileSpec.ExecForm(string.Join(' ', rest.Skip(1)))],
            Duration(options.GetValueOrDefault("--interval")),
            Duration(options.GetValueOrDefault("--timeout")),
            Duration(options.GetValueOrDefault("--start-period")),
            options.TryGetValue("--retries", out var retries) ? int.TryParse(retries, out var n) && n > 0 ? n : throw new FormatException($"not a retry count: '{retries}'.") : 0);
    }

    // Go's duration syntax as Docker reads it ("1m30s", "500ms"); 0 (absent) means docker's default.
    private static long Duration(string? text)
    {
        if (text is null)
        {
            return 0;
        }
        var parts = Regex.Matches(text, "([0-9]+)(ms|s|m|h)");
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != text)
        {
            throw new FormatException($"not a duration: '{text}'.");
        }
        return parts.Sum(p => long.Parse(p.Groups[1].Value) * p.Groups[2].Value switch
        {
            "ms" => 1_000_000L,
            "s" => 1_000_000_000L,
            "m" => 60_000_000_000L,
            _ => 3_600_000_000_000L,
        });
    }
}
