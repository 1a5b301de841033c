// --dryrun: Cake skips every task body, so the plan is printed from Setup instead. Each task
// registers its body here (through Step in build.cake); Setup runs them with the dry-run executor,
// which logs the exact commands and starts nothing.
public static class DryRunPlan
{
    private static readonly Dictionary<string, Action<BuildParameters>> Bodies = new();

    public static void Register(string task, Action<BuildParameters> body) => Bodies[task] = body;

    public static void Print(IEnumerable<string> tasks, BuildParameters p)
    {
        p.Log($"Plan for environment '{p.Environment}' ({p.Settings.FilePath}), nothing will run:");
        foreach (var task in tasks)
        {
            p.Log($"-- {task}");
            if (Bodies.TryGetValue(task, out var body))
            {
                body(p);
            }
        }
    }
}

// Defines a task whose body also shows in the --dryrun plan.
CakeTaskBuilder Step(string name, string description, Action<BuildParameters> body)
{
    DryRunPlan.Register(name, body);
    return Task(name).Description(description).Does<BuildParameters>((_, p) => body(p));
}
