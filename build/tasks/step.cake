// Step registers a task with Cake and in the TaskPlan: its body, the check Setup runs before anything
// when the task is planned, and when a real run skips it (with the reason Cake's summary shows).
var plan = new TaskPlan();

CakeTaskBuilder Step(string name, string description, Action<BuildParameters> body,
    Action<BuildParameters>? check = null, Func<BuildParameters, bool>? skipWhen = null, string? because = null)
{
    plan.Add(name, body, check, skipWhen, because);
    var task = Task(name).Description(description).Does<BuildParameters>((_, p) => body(p));
    return skipWhen is null ? task : task.WithCriteria<BuildParameters>((_, p) => !skipWhen(p), because);
}
