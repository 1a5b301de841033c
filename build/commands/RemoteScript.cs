#nullable enable
// A shell script of build/remote/ run on a VM as one command: `sh -s -- ARGS`, the file on standard
// input, so a step costs one ssh round trip and nothing is copied to the VM first. The script's inputs
// are its arguments: nothing is ever pasted into its text.
public static class RemoteScript
{
    public static ShellCommand Of(string scriptFile, params string[] arguments) =>
        ShellCommand.Of("sh", ["-s", "--", .. arguments]).WithInputFile(scriptFile);
}
