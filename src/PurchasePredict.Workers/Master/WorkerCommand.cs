using System.Diagnostics;

namespace PurchasePredict.Workers.Master;

/// <summary>How to start a worker: this same program with <c>--worker</c> (no fork: .NET cannot fork safely).</summary>
internal sealed record WorkerCommand(string FileName, IReadOnlyList<string> Arguments)
{
    public static WorkerCommand ForThisProcess(IReadOnlyList<string> appArgs)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program is running");
        List<string> arguments = [];
        // Under `dotnet app.dll` the process is the dotnet host and argument 0 is the app's dll; under the apphost
        // (or native AOT) the process is the app itself.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            arguments.Add(Environment.GetCommandLineArgs()[0]);
        arguments.AddRange(appArgs);
        arguments.Add(WorkerEnvironment.WorkerFlag);
        return new WorkerCommand(host, arguments);
    }

    public ProcessStartInfo ToStartInfo()
    {
        var startInfo = new ProcessStartInfo(FileName) { UseShellExecute = false };
        foreach (var argument in Arguments)
            startInfo.ArgumentList.Add(argument);
        return startInfo;
    }
}
