using System.Diagnostics;
using System.Globalization;

// Compiled into the test projects that read /metrics (no namespace, so every project sees it as its own).
/// <summary>Prometheus text format, read back for assertions: each sample line's series (name and labels as written) and value.</summary>
internal static class PrometheusSamples
{
    public static Dictionary<string, double> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => (Series: line[..line.LastIndexOf(' ')], Value: line[(line.LastIndexOf(' ') + 1)..]))
            .ToDictionary(sample => sample.Series, sample => double.Parse(sample.Value, CultureInfo.InvariantCulture));

    /// <summary><c>promtool check metrics</c> on the text: its exit code and what it printed (nothing when the text is clean).</summary>
    public static async Task<(int ExitCode, string Output)> PromtoolCheckAsync(string text)
    {
        var start = new ProcessStartInfo("promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var promtool = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start (Debian package prometheus)");
        var output = promtool.StandardOutput.ReadToEndAsync();
        var errors = promtool.StandardError.ReadToEndAsync();
        await promtool.StandardInput.WriteAsync(text);
        promtool.StandardInput.Close();
        await promtool.WaitForExitAsync();
        return (promtool.ExitCode, (await output + await errors).Trim());
    }
}
