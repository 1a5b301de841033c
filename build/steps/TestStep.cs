#nullable enable
// Test: the clone's test projects, results as TRX in artifacts/test-results. A failure throws,
// which stops the pipeline: nothing is published, built or pushed.
public static class TestStep
{
    public static void Run(BuildParameters p)
    {
        RequireTools(p);
        foreach (var project in p.TestProjects)
        {
            var path = System.IO.Path.Combine(p.Paths.Clone, project);
            p.Runner.RequirePath(path, () => p.Settings.Get("tests")!.Invalid($"{project} is not in the clone of {p.Branch}."));
            var trx = System.IO.Path.GetFileName(project.TrimEnd('/')) + ".trx";
            try
            {
                // Only the verdict lines: a test run prints hundreds of build lines.
                p.Runner.Run(DotNet.Test(path, p.Paths.TestResults, trx), onLine: line => { if (IsVerdict(line)) p.Log("  " + line.Trim()); });
            }
            catch (CommandFailedException)
            {
                throw new InvalidOperationException($"Tests failed in {project}: nothing will be built or pushed (output above; results in {p.Paths.TestResults}).");
            }
        }
    }

    // What the tests start besides dotnet, so that a fresh machine passes them: native LightGBM (the
    // evaluator's agreement tests) needs OpenMP, the metrics tests check GET /metrics with Prometheus'
    // promtool, and the API's tests publish the service as native AOT, which links with clang.
    private static void RequireTools(BuildParameters p)
    {
        var tools = new HostTools(p.Runner);
        tools.RequireLibrary("libgomp.so.1", "libgomp1");
        tools.Require("promtool", "prometheus");
        PublishStep.AotToolchain(tools);
    }

    private static bool IsVerdict(string line) =>
        line.TrimStart().StartsWith("Passed!") || line.TrimStart().StartsWith("Failed") || line.Contains(" error ");
}
