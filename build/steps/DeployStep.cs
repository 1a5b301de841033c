#nullable enable
// Deploy, Rollback, Reload, Status and the sandbox VMs: the bodies of the tasks in build/deploy.cake.
public static class DeployStep
{
    // Setup: the "deploy" settings are checked, and the env file renders for every host, before anything runs.
    public static void Check(BuildParameters p) => _ = p.Deploy;

    // What Push pushed in this run (its plan, in a dry run), else what an earlier Push recorded.
    public static void Deploy(BuildParameters p) => Delivery(p).Deploy(p.Pushed ?? PushedImage.Read(p.Paths.ImageJson));

    public static void Rollback(BuildParameters p) => Delivery(p).Rollback();

    public static void Status(BuildParameters p) => Delivery(p).Status();

    public static void Reload(BuildParameters p) => Delivery(p).Reload();

    public static bool HasSandboxVms(BuildParameters p) => p.Deploy.Sandbox is not null;

    public static void SandboxVmsUp(BuildParameters p) => new SandboxVms(p.Runner, p.Paths, p.Sandbox!, p.Deploy, p.Ssh, p.Log).Up();

    public static void SandboxVmsDown(BuildParameters p) => new SandboxVms(p.Runner, p.Paths, p.Sandbox!, p.Deploy, p.Ssh, p.Log).Down();

    private static RollingDelivery Delivery(BuildParameters p) =>
        new(p.Deploy, p.Ssh, p.Paths, p.Runner, p.Log, reference => EnvironmentTag.Point(p, reference));
}
