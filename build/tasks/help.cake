// ./build.sh --help: this pipeline's targets and settings (build/steps/HelpStep.cs).
Task("Help")
    .Description("Lists the targets and the settings with their argument and variable names (./build.sh --help).")
    .Does(() => HelpStep.Print(Tasks.Select(t => (t.Name, t.Description)), line => Information("{0}", line)));
