#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
// Every file and folder the pipeline reads or writes, in one place. All outputs live under artifacts/.
public sealed class BuildPaths(string root)
{
    // The folder holding build.sh: the pipeline's own repository.
    public string Root { get; } = System.IO.Path.GetFullPath(root);

    public string Environments => System.IO.Path.Combine(Root, "ops", "environments");

    public string Artifacts => System.IO.Path.Combine(Root, "artifacts");

    // The fresh clone that everything is built from; never the working tree.
    public string Clone => System.IO.Path.Combine(Artifacts, "clone");

    public string TestResults => System.IO.Path.Combine(Artifacts, "test-results");

    public string Publish => System.IO.Path.Combine(Artifacts, "publish");

    public string ImageJson => System.IO.Path.Combine(Artifacts, "image.json");

    public string Sandbox => System.IO.Path.Combine(Artifacts, "sandbox");

    // The Dockerfile of the commit being built, so image and code always match.
    public string Dockerfile => System.IO.Path.Combine(Clone, "ops", "Dockerfile");
}
