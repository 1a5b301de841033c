// From a branch to an image in the registry (build/steps/): each task depends on the one before.
Step("Clone", "Clones --repo at --branch into artifacts/clone (reused when already at the branch's head).", CloneStep.Run, check: CloneStep.Check)
    .IsDependentOn("Sandbox");

Step("Test", "Runs the clone's tests; TRX results in artifacts/test-results. A failure stops everything.", TestStep.Run,
    skipWhen: p => CloneStep.Source(p).AlreadyBuilt, because: "the image of this commit is already built, after its tests passed (--force to redo)")
    .IsDependentOn("Clone");

Step("Publish", "Publishes the clone's API (mode: publishMode, native AOT by default) into artifacts/publish.", PublishStep.Run, check: PublishStep.Check,
    skipWhen: p => CloneStep.Source(p).AlreadyBuilt, because: "the image of this commit is already built (--force to redo)")
    .IsDependentOn("Test");

Step("Image", "Builds the image from artifacts/publish with the clone's ops/Dockerfile.", ImageStep.Build,
    skipWhen: p => CloneStep.Source(p).AlreadyBuilt, because: "the image of this commit is already built (--force to redo)")
    .IsDependentOn("Publish");

Step("Tag", "Tags the image <registry>/<project>/purchase_predict_api:<short sha> (Deploy moves :<environment>).", ImageStep.Tag)
    .IsDependentOn("Image");

Step("Push", "Pushes the commit's tag; writes the digest and commit to artifacts/image.json.", PushStep.Run)
    .IsDependentOn("Tag");
