// The pipeline: ./build.sh --target=Push (or Deploy; ./build.sh --help lists every target and setting).
// Arguments, environment variables and ops/environments/<env>.json are read once, in Setup, into
// BuildParameters; the tasks (tasks/*.cake) only register the steps of build/steps/.
// In every file #loaded here, write System.IO.File, System.IO.Directory and System.IO.Path in full:
// inside a Cake script the aliases File(), Directory() and Cake.Core.IO.Path shadow them.
#load "commands/*.cs"
#load "settings/*.cs"
#load "pipeline/*.cs"
#load "steps/*.cs"
#load "image/*.cs"
#load "deploy/*.cs"
#load "sandbox/*.cs"
#load "sandbox/gcp/*.cs"
#load "sandbox/vm/*.cs"
#load "../src/Shared/PortNumber.cs"
#load "tasks/step.cake"
#load "tasks/sandbox.cake"
#load "tasks/push.cake"
#load "tasks/deploy.cake"
#load "tasks/help.cake"

var target = Argument("target", "Push");

// SIGINT, SIGTERM and SIGHUP only ask the run to stop (build/commands/Interruption.cs): a deploy then
// finishes or undoes its current step on a VM and releases its locks. build.sh runs Cake as its own
// process, so a signal to ./build.sh reaches it.
var interruption = new Interruption();
var signals = interruption.Listen(line => Warning("{0}", line));

BuildParameters? parameters = null;

Setup<BuildParameters>(ctx =>
{
    ArgumentCheck.RejectUnknown(ctx.Arguments.GetArguments().Keys);
    // Cake consumes --dryrun itself, so its IsDryRun alias never sees it: read the command line.
    var dryRun = System.Environment.GetCommandLineArgs().Any(a => a is "--dryrun" or "--noop" or "--whatif");
    // Cake runs in build/; the repository root is the folder holding build.sh.
    var root = MakeAbsolute(Directory("..")).FullPath;
    var p = BuildParameters.Load(root, Arg, System.Environment.GetEnvironmentVariable, dryRun, line => ctx.Information("{0}", line), interruption);
    var tasks = ctx.TasksToExecute.Select(t => t.Name).ToList();
    plan.Check(tasks, p);
    if (dryRun)
    {
        plan.PrintDryRun(tasks, p);
    }
    parameters = p;
    return p;
});

// Cake's dry run keeps no Setup data for Teardown<T>: the run's parameters are kept here instead.
Teardown(_ => parameters?.Dispose());

// Cake's arguments, as Settings reads them: null when not given, "" for a bare flag (--force), the last value if repeated.
string? Arg(string name) => HasArgument(name) ? Context.Arguments.GetArguments(name).LastOrDefault() ?? "" : null;

RunTarget(target);
signals.Dispose();
