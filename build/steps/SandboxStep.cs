#nullable enable
// Sandbox: the local stand-in for GCP (Docker engine, the GCP project's token endpoint, service-account
// keys and the pipeline machine's metadata server, the private registry, the base image), brought up by
// Push and Deploy when the environment is the sandbox. Idempotent: a second call only checks.
public static class SandboxStep
{
    public static void Up(BuildParameters p)
    {
        var tools = new HostTools(p.Runner);
        new DockerEngine(p.Runner, tools, p.Paths, p.Sandbox!, p.Log).EnsureUp();
        var gcp = new SandboxGcp(p.Runner, p.Paths, p.Sandbox!, p.Log);
        gcp.EnsureUp();
        new SandboxRegistry(p.Runner, tools, p.Paths, p.Sandbox!, gcp, p.Log).EnsureUp();
        new BaseImage(p.Runner, tools, p.Paths, p.Sandbox!, p.BaseImage, p.Log).EnsureBuilt();
        // Push copies the assembled image to the registry with it (build/image/ImageRegistry.cs).
        tools.Require("skopeo", "skopeo");
    }

    // Removes what Up and the pipeline made: images, registry and its data, the GCP stand-ins, a dockerd
    // it started, and the sandbox's home (keys, VM files, logs), whichever checkout made them.
    public static void Down(BuildParameters p)
    {
        var tools = new HostTools(p.Runner);
        var engine = new DockerEngine(p.Runner, tools, p.Paths, p.Sandbox!, p.Log);
        if (engine.IsUp())
        {
            ImageCleanup.RemoveAll(p.Runner, p.Image.Repository);
            ImageCleanup.RemoveAll(p.Runner, ImageTarget.ImageName);
            new BaseImage(p.Runner, tools, p.Paths, p.Sandbox!, p.BaseImage, p.Log).Remove();
        }
        var gcp = new SandboxGcp(p.Runner, p.Paths, p.Sandbox!, p.Log);
        new SandboxRegistry(p.Runner, tools, p.Paths, p.Sandbox!, gcp, p.Log).Down();
        gcp.Down();
        engine.Down();
        p.Runner.DeleteDirectory(p.Paths.SandboxHome);
    }
}
