#nullable enable
using System.Linq;

// A command line as data: a program, its arguments, what it reads on standard input, and what a dry
// run pretends it printed. Builders (Docker, Git, Systemctl, RemoteScript, ...) only return these;
// CommandRunner executes them. Secret arguments and input render as "***", so logging a command can't leak them.
public sealed class ShellCommand
{
    private readonly IReadOnlyList<object> _arguments;

    private ShellCommand(string program, IReadOnlyList<object> arguments, Secret? standardInput, string? inputFile, string? planned, bool finishes = false)
    {
        if (string.IsNullOrWhiteSpace(program))
        {
            throw new ArgumentException("A command needs a program.", nameof(program));
        }
        Program = program;
        _arguments = arguments;
        StandardInput = standardInput;
        InputFile = inputFile;
        PlannedOutput = planned;
        FinishesWhenInterrupted = finishes;
    }

    public string Program { get; }

    // Fed to the process on stdin and never shown: how passwords reach `docker login --password-stdin`.
    public Secret? StandardInput { get; }

    // A file fed to the process on stdin: how a remote script reaches `sh -s` on a VM without being copied there.
    public string? InputFile { get; }

    // What a dry run reports as this command's output, so that a plan can go on past a command whose
    // answer the next step reads (a staging directory, a restart counter). Never used in a real run.
    public string? PlannedOutput { get; }

    // A command whose half-done state nobody could know (one that changes a VM, over ssh): an interrupt
    // lets it finish, and a signal sent to the pipeline's whole process group never reaches it. Any other
    // command is killed by an interrupt (CommandRunner).
    public bool FinishesWhenInterrupted { get; }

    public static ShellCommand Of(string program, params object[] arguments) =>
        new(program, Validate(arguments), null, null, null);

    public ShellCommand With(params object[] arguments) =>
        new(Program, _arguments.Concat(Validate(arguments)).ToArray(), StandardInput, InputFile, PlannedOutput, FinishesWhenInterrupted);

    public ShellCommand WithStandardInput(Secret input) => new(Program, _arguments, input, null, PlannedOutput, FinishesWhenInterrupted);

    public ShellCommand WithInputFile(string path) => new(Program, _arguments, null, path, PlannedOutput, FinishesWhenInterrupted);

    public ShellCommand Planned(string output) => new(Program, _arguments, StandardInput, InputFile, output, FinishesWhenInterrupted);

    public ShellCommand FinishingWhenInterrupted() => new(Program, _arguments, StandardInput, InputFile, PlannedOutput, finishes: true);

    // Another program in front of this command's line (sudo, ssh), keeping its input, planned output and
    // how it meets an interrupt.
    public ShellCommand Wrapped(string program, IEnumerable<object> arguments) =>
        new(program, Validate(arguments.ToArray()), StandardInput, InputFile, PlannedOutput, FinishesWhenInterrupted);

    // Runs each command after the other in one remote shell, stopping at the first that fails:
    // `sh -c 'a && b && c' sh`, still data, so a step costs one ssh round trip.
    public static ShellCommand All(params ShellCommand[] commands) =>
        Of("sh", "-c", string.Join(" && ", commands.Select(c => c.ToShellLine())), "sh")
            .Planned(string.Join("\n", commands.Select(c => c.PlannedOutput).OfType<string>()));

    // The real argument values, for the executor only.
    public IReadOnlyList<string> ArgumentValues() =>
        _arguments.Select(a => a is Secret s ? s.Value : (string)a).ToArray();

    public bool HasSecretArguments => _arguments.Any(a => a is Secret);

    // The full line with real values, quoted for a POSIX shell: what ssh sends to a remote host.
    // Standard input is not part of it: ssh forwards it.
    public string ToShellLine()
    {
        if (HasSecretArguments)
        {
            // A secret on a remote command line would show in the remote `ps` and logs.
            throw new InvalidOperationException($"Refusing to render a command with a secret argument for a shell: {this}");
        }
        return ShellQuote.Join(new[] { Program }.Concat(ArgumentValues()));
    }

    // The redacted line: safe for logs and error messages.
    public override string ToString() =>
        string.Join(' ', new[] { ShellQuote.Quote(Program) }
            .Concat(_arguments.Select(a => a is Secret ? "***" : ShellQuote.Quote((string)a))))
        + (InputFile is null ? "" : " < " + System.IO.Path.GetFileName(InputFile));

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
