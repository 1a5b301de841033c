// Deploy, Rollback, Status and the sandbox VMs. build.cake loads this file and validates the "deploy"
// settings in Setup when one of these tasks is planned. Bodies only call build/deploy/ and build/sandbox/vm/.
#load "deploy/*.cs"
#load "sandbox/vm/*.cs"

public static class DeployStep
{
    public static void SandboxVmsUp(BuildParameters p) => Vms(p).Up();

    public static void SandboxVmsDown(BuildParameters p) => Vms(p).Down();

    public static void Deploy(BuildParameters p) =>
        DeliveryFor(p).Deploy(p.DryRun && !System.IO.File.Exists(p.Paths.ImageJson) ? PlannedImage(p) : DeployImage.Read(p.Paths.ImageJson),
            System.IO.Path.Combine(p.Paths.Artifacts, "deploy"));

    public static void Rollback(BuildParameters p) => DeliveryFor(p).Rollback();

    public static void Status(BuildParameters p) => DeliveryFor(p).Status();

    private static Delivery DeliveryFor(BuildParameters p) => Delivery.Prepare(p.Deploy, p.Paths.Root, p.DryRun, p.Log);

    private static SandboxVms Vms(BuildParameters p) => new(p.Runner, p.Paths.Root, p.Deploy, p.Deploy.Sandbox!, p.Log);

    // In a dry run Push has not run: show the unit with a stand-in digest.
    private static DeployImage PlannedImage(BuildParameters p) =>
        new(p.Image.Repository, "sha256:<digest from Push>", "<commit from Clone>");
}

Step("SandboxVms", "Starts the sandbox VMs (containers with systemd, sshd and Docker) and the model bucket. Quick when up.", DeployStep.SandboxVmsUp)
    .WithCriteria<BuildParameters>((_, p) => p.Deploy.Sandbox is not null, "the environment has no sandbox VMs");

Step("SandboxVmsDown", "Removes the sandbox VMs, their Docker volumes and the storage emulator.", DeployStep.SandboxVmsDown)
    .WithCriteria<BuildParameters>((_, p) => p.Deploy.Sandbox is not null, "the environment has no sandbox VMs");

Step("DeployToVms", "Rolls the image of artifacts/image.json out to every VM, one at a time; rolls a failed VM back.", DeployStep.Deploy)
    .IsDependentOn("SandboxVms");

Step("Rollback", "Puts the previous release (or --rollback-version=<sha>) back on every VM, one at a time.", DeployStep.Rollback)
    .IsDependentOn("SandboxVms");

Step("Status", "For each VM: unit state, image and commit, start time, health answer, last 20 log lines.", DeployStep.Status)
    .IsDependentOn("SandboxVms");

Task("Deploy")
    .Description("Push, then deliver to every VM of the environment.")
    .IsDependentOn("Push")
    .IsDependentOn("DeployToVms");
