// The local stand-in for GCP (build/steps/SandboxStep.cs); skipped in other environments.
Step("Sandbox", "Brings up the local sandbox: Docker engine, registry on 127.0.0.1, base image. Quick when up.", SandboxStep.Up,
    skipWhen: p => !p.IsSandbox, because: "the environment is not the sandbox");

Step("SandboxDown", "Removes the sandbox, whichever checkout made it: VMs, images, registry, keys, a dockerd it started.", SandboxStep.Down,
    skipWhen: p => !p.IsSandbox, because: "the environment is not the sandbox")
    .IsDependentOn("SandboxVmsDown");
