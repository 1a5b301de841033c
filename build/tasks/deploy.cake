// From the pushed image to running VMs (build/steps/DeployStep.cs; one VM's steps: build/deploy/HostDelivery.cs).
Step("SandboxVms", "Starts the sandbox VMs (containers with systemd, sshd and Docker) and the model bucket. Quick when up.", DeployStep.SandboxVmsUp,
    check: DeployStep.Check, skipWhen: p => !DeployStep.HasSandboxVms(p), because: "the environment has no sandbox VMs");

Step("SandboxVmsDown", "Removes the sandbox VMs, their Docker volumes and the storage emulator.", DeployStep.SandboxVmsDown,
    check: DeployStep.Check, skipWhen: p => !DeployStep.HasSandboxVms(p), because: "the environment has no sandbox VMs");

Step("DeployToVms", "Rolls the pushed image out to every VM, one at a time; rolls a failed VM back.", DeployStep.Deploy, check: DeployStep.Check)
    .IsDependentOn("SandboxVms");

Step("Rollback", "Puts the previous release (or --rollback-version=<sha>) back on every VM, one at a time.", DeployStep.Rollback, check: DeployStep.Check)
    .IsDependentOn("SandboxVms");

Step("Reload", "Every VM, one at a time, serves what its model source names now (an alias moved): proven, reloaded, verified; no new image.",
    DeployStep.Reload, check: DeployStep.Check)
    .IsDependentOn("SandboxVms");

Step("Status", "For each VM: unit state, image and commit, start time, health answer, last 20 log lines.", DeployStep.Status, check: DeployStep.Check)
    .IsDependentOn("SandboxVms");

Task("Deploy")
    .Description("Push, then deliver to every VM of the environment.")
    .IsDependentOn("Push")
    .IsDependentOn("DeployToVms");
