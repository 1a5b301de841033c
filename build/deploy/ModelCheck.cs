#nullable enable
// The bad-model guard on a VM (ModelGuard): a model whose answer to the check request is refused stops the
// Deploy or Reload before the VM switches to it, with the VM, the model's identity and the first differing row.
public sealed class ModelCheck(Vm vm, ServiceCommands commands, DeploySettings settings)
{
    // answer: the model's /predict answer to the check request; null in a dry run, where nothing answered.
    public void Guard(string? answer, string url, string what)
    {
        if (answer is null || ModelGuard.Refusal(answer, settings.ExpectedAnswers) is not { } refusal)
        {
            return;
        }
        var identity = vm.TryRun(commands.ModelIdentity(url), quiet: true) is { ExitCode: 0 } found
            ? ServedModel.Parse(found.StandardOutput, vm.Name).ToString()
            : "a model that does not say its identity (no GET /model)";
        throw new DeployException($"{vm.Host.Name}: {what} serves {identity}: refused, {refusal}.");
    }
}
