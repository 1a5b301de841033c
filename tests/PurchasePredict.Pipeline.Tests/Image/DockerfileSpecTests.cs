namespace PurchasePredict.Pipeline.Tests;

// ops/Dockerfile as the Image step reads it: the repository's own file, and what it refuses.
public class DockerfileSpecTests
{
    [Test]
    public void TheRepositorysDockerfile_DescribesTheImage()
    {
        var spec = DockerfileSpec.Read(Path.Combine(RepositoryRoot.Find(), "ops", "Dockerfile"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((spec.CopyDestination, spec.Owner, spec.Group), Is.EqualTo(("/app", 0, 0)));
            Assert.That(spec.WorkingDirectory, Is.EqualTo("/app"));
            Assert.That(spec.Environment, Is.EqualTo(new[] { KeyValuePair.Create("WORKERS", "4"), KeyValuePair.Create("PORT", "8080") }));
            Assert.That(spec.User, Is.EqualTo("1654:1654"));
            Assert.That(spec.ExposedPorts, Is.EqualTo(new[] { "8080/tcp" }));
            Assert.That(spec.Entrypoint, Is.EqualTo(new[] { "/app/purchase_predict_api" }));
            Assert.That(spec.Healthcheck!.Test, Is.EqualTo(new[] { "CMD", "/app/purchase_predict_api", "--healthcheck" }));
            Assert.That((spec.Healthcheck.Interval, spec.Healthcheck.Timeout, spec.Healthcheck.StartPeriod, spec.Healthcheck.Retries),
                Is.EqualTo((10_000_000_000L, 5_000_000_000L, 20_000_000_000L, 3)));
        }
    }

    [TestCase("FROM ${BASE_IMAGE}\nCOPY . /app/\nRUN chmod +x /app/x", "line 3: RUN: not supported")]
    [TestCase("FROM ${BASE_IMAGE}\nADD . /app/", "line 2: ADD: not supported")]
    [TestCase("FROM debian:12\nCOPY . /app/", "line 1: FROM: expected FROM ${BASE_IMAGE}")]
    [TestCase("COPY . /app/\nFROM ${BASE_IMAGE}", "line 1: COPY: comes before FROM")]
    [TestCase("FROM ${BASE_IMAGE}\nCOPY . /app/\nCOPY . /opt/", "line 3: COPY: only one COPY")]
    [TestCase("FROM ${BASE_IMAGE}\nCOPY --chown=app:app . /app/", "only --chown=<uid>:<gid> (numeric)")]
    [TestCase("FROM ${BASE_IMAGE}\nCOPY ./bin /app/", "expected COPY [--chown=uid:gid] . /destination/")]
    [TestCase("FROM ${BASE_IMAGE}\nCOPY . /app/\nENTRYPOINT /app/x --flag", "line 3: ENTRYPOINT: expected the exec form")]
    [TestCase("FROM ${BASE_IMAGE}\nCOPY . /app/\nENV A=\"b c\"", "without quotes")]
    [TestCase("FROM ${BASE_IMAGE}\nCOPY . /app/\nHEALTHCHECK --interval=soon CMD [\"/x\"]", "not a duration: 'soon'")]
    [TestCase("FROM ${BASE_IMAGE}\nCOPY . /app/\nEXPOSE http", "not a port: 'http'")]
    [TestCase("FROM ${BASE_IMAGE}\nWORKDIR /app", "no COPY of the build context")]
    public void AnInstructionTheAssemblerWouldLeaveOut_IsAnErrorNamingTheLine(string dockerfile, string error) =>
        Assert.That(() => DockerfileSpec.Parse(dockerfile, "ops/Dockerfile"), Throws.InvalidOperationException.With.Message.Contains(error));

    [Test]
    public void Continuations_Comments_AndARepeatedVariable_ReadAsDockerReadsThem()
    {
        var spec = DockerfileSpec.Parse("# c\nARG BASE_IMAGE=x\nFROM $BASE_IMAGE\nCOPY . /srv/\nENV A=1 \\\n    B=2\n# between\nENV A=3\nHEALTHCHECK --interval=1m30s --timeout=500ms CMD [\"/x\"]\n", "f");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec.CopyDestination, Is.EqualTo("/srv"));
            Assert.That(spec.Environment, Is.EqualTo(new[] { KeyValuePair.Create("B", "2"), KeyValuePair.Create("A", "3") }));
            Assert.That((spec.Healthcheck!.Interval, spec.Healthcheck.Timeout, spec.Healthcheck.Retries), Is.EqualTo((90_000_000_000L, 500_000_000L, 0)));
        }
    }
}
