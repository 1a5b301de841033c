#nullable enable
// The pipeline's tasks as this code sees them, registered next to Cake's own task (the Step helper in
// build/build.cake): each task's body, the read-only check it needs before anything runs, and when a
// real run would skip it. Setup runs the checks of the planned tasks, so a task declares what it needs
// and Setup names no task. Under --dryrun Cake runs no task body, so Setup walks the plan here with the
// dry-run runner: every command in order, and the tasks a real run would skip, with the reason.
public sealed class TaskPlan
{
    private readonly Dictionary<string, PlannedTask> _tasks = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string name, Action<BuildParameters> body, Action<BuildParameters>? check, Func<BuildParameters, bool>? skip, string? because) =>
        _tasks[name] = new PlannedTask(body, check, skip, because);

    // Setup: every planned task's checks, before any task runs.
    public void Check(IEnumerable<string> plan, BuildParameters p)
    {
        foreach (var task in plan)
        {
            if (_tasks.TryGetValue(task, out var planned))
            {
                planned.Check?.Invoke(p);
            }
        }
    }

    public void PrintDryRun(IEnumerable<string> plan, BuildParameters p)
    {
        p.Log($"Plan for environment '{p.Environment}' ({p.Settings.FilePath}), nothing will run:");
        foreach (var task in plan)
        {
            if (!_tasks.TryGetValue(task, out var planned))
            {
                p.Log($"-- {task}");
            }
            else if (planned.Skip?.Invoke(p) == true)
            {
                p.Log($"-- {task}: a real run skips it: {planned.Because}");
            }
            else
            {
                p.Log($"-- {task}");
                planned.Body(p);
            }
        }
    }

    private sealed record PlannedTask(Action<BuildParameters> Body, Action<BuildParameters>? Check, Func<BuildParameters, bool>? Skip, string? Because);
}
