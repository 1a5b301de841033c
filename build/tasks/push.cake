// From a branch to an image in the registry (build/steps/): each task depends on the one before.
Step("Clone", "Clones --repo at --branch (or --commit) into artifacts/clone (reused when already at that commit).", CloneStep.Run, check: CloneStep.Check)
    .IsDependentOn("Sandbox");

Step("Test", "Runs the clone's tests; TRX results in artifacts/test-results. A failure stops everything.", TestStep.Run,
    skipWhen: p => CloneStep.Source(p).InRegistry || p.Verifying,
    because: "the registry already has the image this commit builds to, built after its tests passed (--force to redo), or the target is Verify, which only rebuilds")
    .IsDependentOn("Clone");

Step("Publish", "Publishes the clone's API (mode: publishMode, native AOT by default) into artifacts/publish.", PublishStep.Run, check: PublishStep.Check,
    skipWhen: p => CloneStep.Source(p).InRegistry, because: "the registry already has the image this commit builds to (--force to redo)")
    .IsDependentOn("Test");

Step("Image", "Assembles the image of the commit into artifacts/image (an OCI layout), the same bytes wherever it is built.", ImageStep.Build,
    skipWhen: p => CloneStep.Source(p).InRegistry, because: "the registry already has the image this commit builds to (--force to redo)")
    .IsDependentOn("Publish");

Step("Push", "Pushes :<short sha> unless the registry has it with this build's digest; writes artifacts/image.json (Deploy moves :<environment>).", PushStep.Run, check: ImageRegistry.Check)
    .IsDependentOn("Image");

Step("Verify", "Rebuilds artifacts/image.json's commit (or --commit); compares its digest with the registry's and each VM's.", VerifyStep.Run,
    check: p => { ImageRegistry.Check(p); VerifyStep.Check(p); })
    .IsDependentOn("Image");
