#nullable enable
using System.Linq;

// docker CLI command lines about containers and volumes (images and builds are in Docker.cs).
public static class DockerContainer
{
    // Prints the value of a Go template for the container; exits 1 when there is no such container.
    public static ShellCommand Inspect(string container, string format) =>
        ShellCommand.Of("docker", "container", "inspect", "--format", format, container);

    public static ShellCommand Exec(string container, string program, params string[] arguments) =>
        ShellCommand.Of("docker", new object[] { "exec", container, program }.Concat(arguments).ToArray());

    public static ShellCommand Start(string container) => ShellCommand.Of("docker", "start", container);

    public static ShellCommand Remove(string container) => ShellCommand.Of("docker", "rm", "--force", "--volumes", container);

    public static ShellCommand RemoveVolume(string volume) => ShellCommand.Of("docker", "volume", "rm", "--force", volume);

    // The container's last lines, stdout and stderr: why it stopped.
    public static ShellCommand Logs(string container, int lines) =>
        ShellCommand.Of("docker", "logs", "--tail", lines.ToString(System.Globalization.CultureInfo.InvariantCulture), container);
}
