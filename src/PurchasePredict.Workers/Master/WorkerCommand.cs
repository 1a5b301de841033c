using System.Diagnostics;

namespace PurchasePredict.Workers.Master;

/// <summary>
/// How to start a worker: this same program with <c>--worker</c> (no fork: .NET cannot fork safely), with
/// <paramref name="Environment"/> added to the master's (<see cref="WorkerRuntime"/>).
/// </summary>
internal sealed record WorkerCommand(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    public static WorkerCommand ForThisProcess(IReadOnlyList<string> appArgs, int workers)
    {
        var host = System.Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program is running");
        List<string> arguments = [];
        // Under `dotnet app.dll` the process is the dotnet host and argument 0 is the app's dll; under the apphost
        // (or native AOT) the process is the app itself.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            arguments.Add(System.Environment.GetCommandLineArgs()[0]);
        arguments.AddRange(appArgs);
        arguments.Add(WorkerEnvironment.WorkerFlag);
        var environment = WorkerRuntime.Environment(
            workers, System.Environment.ProcessorCount, ContainerMemory.IsLimited(), System.Environment.GetEnvironmentVariable);
        return new WorkerCommand(host, arguments, environment);
    }

    public ProcessStartInfo ToStartInfo()
    {
        var startInfo = new ProcessStartInfo(FileName) { UseShellExecute = false };
        foreach (var argument in Arguments)
            startInfo.ArgumentList.Add(argument);
        foreach (var (name, value) in Environment)
            startInfo.Environment[name] = value;
        return startInfo;
    }
}
