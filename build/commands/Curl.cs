#nullable enable
using System.Globalization;

// `curl` command lines for health checks run on a VM: fail on HTTP errors, never hang.
public static class Curl
{
    public static ShellCommand Get(string url, int maxSeconds = 5) =>
        ShellCommand.Of("curl", "--silent", "--show-error", "--fail", "--max-time", Seconds(maxSeconds), url);

    public static ShellCommand PostJsonFile(string url, string file, int maxSeconds = 10) =>
        ShellCommand.Of("curl", "--silent", "--show-error", "--fail", "--max-time", Seconds(maxSeconds),
            "--header", "Content-Type: application/json", "--data-binary", "@" + file, url);

    private static string Seconds(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);
}
