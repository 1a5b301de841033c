// The pipeline: ./build.sh --target=Push (or Deploy). Arguments, environment variables and
// ops/environments/<env>.json are read once, in Setup, into BuildParameters; tasks only call helpers.
// docs/pipeline.md lists every target and setting.
// In every file #loaded here, write System.IO.File, System.IO.Directory and System.IO.Path in full:
// inside a Cake script the aliases File(), Directory() and Cake.Core.IO.Path shadow them.
#load "commands/*.cs"
#load "parameters/*.cs"
#load "sandbox/*.cs"
#load "plan.cake"
#load "sandbox.cake"
#load "clone.cake"
#load "test.cake"
#load "publish.cake"
#load "image.cake"
#load "push.cake"
#load "deploy.cake"

var target = Argument("target", "Push");

// The tasks defined in this file; any other task in the plan comes from deploy.cake and needs the
// "deploy" settings, which Setup then validates before anything runs.
var pushTasks = new HashSet<string> { "Sandbox", "SandboxDown", "Clone", "Test", "Publish", "Image", "Tag", "Push" };

Setup<BuildParameters>(ctx =>
{
    var dryRun = System.Environment.GetCommandLineArgs().Any(a => a is "--dryrun" or "--noop" or "--whatif");
    // Cake runs in build/; the repository root is the folder holding build.sh.
    var root = MakeAbsolute(Directory("..")).FullPath;
    var p = BuildParameters.Load(root, Arg, System.Environment.GetEnvironmentVariable, dryRun, line => ctx.Information("{0}", line));
    var plan = ctx.TasksToExecute.Select(t => t.Name).ToList();
    if (plan.Contains("Clone"))
    {
        CloneStep.RemoteHead(p);
    }
    if (plan.Contains("Publish") && p.PublishMode == PublishMode.Aot)
    {
        PublishStep.AotCompiler();
    }
    if (plan.Any(t => !pushTasks.Contains(t)))
    {
        _ = p.Deploy;
    }
    if (p.DryRun)
    {
        DryRunPlan.Print(plan, p);
    }
    return p;
});

// Cake's arguments, as Settings reads them: null when not given, "" for a bare flag (--force), the last value if repeated.
string? Arg(string name) => HasArgument(name) ? Context.Arguments.GetArguments(name).LastOrDefault() ?? "" : null;

Step("Sandbox", "Brings up the local sandbox: Docker engine, registry on 127.0.0.1, base image. Quick when up.", SandboxStep.Up)
    .WithCriteria<BuildParameters>((_, p) => p.IsSandbox, "the environment is not the sandbox");

var sandboxDown = Step("SandboxDown", "Removes the sandbox: images, registry and its data, a dockerd it started.", SandboxStep.Down)
    .WithCriteria<BuildParameters>((_, p) => p.IsSandbox, "the environment is not the sandbox");
if (Tasks.Any(t => t.Name == "SandboxVmsDown"))
{
    sandboxDown.IsDependentOn("SandboxVmsDown");
}

Step("Clone", "Clones --repo at --branch into artifacts/clone (reused when already at the branch's head).", CloneStep.Run)
    .IsDependentOn("Sandbox");

Step("Test", "Runs the clone's API tests; TRX results in artifacts/test-results. A failure stops everything.", TestStep.Run)
    .IsDependentOn("Clone")
    .WithCriteria<BuildParameters>((_, p) => !ImageStep.IsBuilt(p), "the image of this commit is already built, after its tests passed (--force to redo)");

Step("Publish", "Publishes the clone's API (mode: publishMode, ready-to-run by default) into artifacts/publish.", PublishStep.Run)
    .IsDependentOn("Test")
    .WithCriteria<BuildParameters>((_, p) => !ImageStep.IsBuilt(p), "the image of this commit is already built (--force to redo)");

Step("Image", "Builds the image from artifacts/publish with the clone's ops/Dockerfile.", ImageStep.Build)
    .IsDependentOn("Publish")
    .WithCriteria<BuildParameters>((_, p) => !ImageStep.IsBuilt(p), "the image of this commit is already built (--force to redo)");

Step("Tag", "Tags the image <registry>/<project>/purchase_predict_api:<short sha> and :<environment>.", ImageStep.Tag)
    .IsDependentOn("Image");

Step("Push", "Pushes both tags; writes the digest and commit to artifacts/image.json.", PushStep.Run)
    .IsDependentOn("Tag");

RunTarget(target);
