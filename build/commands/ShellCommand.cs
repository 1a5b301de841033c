#nullable enable
// A command line as data: a program, its arguments and optional standard input.
// Builders (Docker, Git, Systemctl, ...) only return these; CommandRunner executes them.
// Secret arguments and input render as "***", so logging a command can't leak them.
public sealed class ShellCommand
{
    private readonly IReadOnlyList<object> _arguments;

    private ShellCommand(string program, IReadOnlyList<object> arguments, Secret? standardInput)
    {
        if (string.IsNullOrWhiteSpace(program))
        {
            throw new ArgumentException("A command needs a program.", nameof(program));
        }
        Program = program;
        _arguments = arguments;
        StandardInput = standardInput;
    }

    public string Program { get; }

    // Fed to the process on stdin and never shown: how passwords reach `docker login --password-stdin`.
    public Secret? StandardInput { get; }

    public static ShellCommand Of(string program, params object[] arguments) =>
        new(program, Validate(arguments), null);

    public ShellCommand With(params object[] arguments) =>
        new(Program, _arguments.Concat(Validate(arguments)).ToArray(), StandardInput);

    public ShellCommand WithStandardInput(Secret input) => new(Program, _arguments, input);

    // The real argument values, for the executor only.
    public IReadOnlyList<string> ArgumentValues() =>
        _arguments.Select(a => a is Secret s ? s.Value : (string)a).ToArray();

    public bool HasSecrets => StandardInput is not null || _arguments.Any(a => a is Secret);

    // The full line with real values, quoted for a POSIX shell: what ssh sends to a remote host.
    public string ToShellLine()
    {
        if (_arguments.Any(a => a is Secret))
        {
            // A secret on a remote command line would show in the remote `ps` and logs.
            throw new InvalidOperationException($"Refusing to render a command with a secret argument for a shell: {this}");
        }
        return ShellQuote.Join(new[] { Program }.Concat(ArgumentValues()));
    }

    // The redacted line: safe for logs and error messages.
    public override string ToString() =>
        string.Join(' ', new[] { ShellQuote.Quote(Program) }
            .Concat(_arguments.Select(a => a is Secret ? "***" : ShellQuote.Quote((string)a))));

    private static object[] Validate(object[] arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument is not (string or Secret))
            {
                throw new ArgumentException($"Command arguments are strings or secrets, not {argument?.GetType().Name ?? "null"}.");
            }
        }
        return arguments;
    }
}
