namespace PurchasePredict.Workers.Master;

/// <summary>
/// How a worker ended. .NET reports a process killed by signal N as exit code 128+N (the shell convention),
/// so codes above 128 are read as signals: a worker never exits with such a code on its own.
/// </summary>
internal readonly record struct ExitStatus(int? Code, int? Signal)
{
    public static ExitStatus FromExitCode(int exitCode) =>
        exitCode is > 128 and <= 128 + 64 ? new ExitStatus(null, exitCode - 128) : new ExitStatus(exitCode, null);

    public override string ToString() => Signal is { } signal ? $"signal {signal}" : $"code {Code}";
}
