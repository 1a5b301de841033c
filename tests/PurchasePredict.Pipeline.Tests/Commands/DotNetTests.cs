namespace PurchasePredict.Pipeline.Tests;

// Golden strings: the exact dotnet command lines Test, Publish and Push run.
public class DotNetTests
{
    [Test]
    public void DotNetTest_WritesTrxIntoResultsDirectory() =>
        Assert.That(DotNet.Test("/c/tests/A.Tests", "/a/test-results", "A.Tests.trx").ToString(),
            Is.EqualTo("dotnet test /c/tests/A.Tests --configuration Release -p:ContinuousIntegrationBuild=true --logger 'trx;LogFileName=A.Tests.trx' --results-directory /a/test-results"));

    [TestCase(PublishMode.Aot, null, "-p:PublishAot=true")]
    [TestCase(PublishMode.Aot, "clang-14", "-p:PublishAot=true -p:CppCompilerAndLinker=clang-14")]
    [TestCase(PublishMode.SelfContained, null, "--self-contained")]
    [TestCase(PublishMode.Trimmed, null, "--self-contained -p:PublishTrimmed=true -p:TreatWarningsAsErrors=false")]
    [TestCase(PublishMode.ReadyToRun, null, "--self-contained -p:PublishReadyToRun=true")]
    public void DotNetPublish_RendersEachMode(PublishMode mode, string? compiler, string flags) =>
        Assert.That(DotNet.Publish("src/Api", "/a/publish", mode, "linux-x64", compiler).ToString(),
            Is.EqualTo("dotnet publish src/Api --configuration Release --runtime linux-x64 --output /a/publish -p:ContinuousIntegrationBuild=true " + flags));

    [Test]
    public void BuildTool_BuildsTheProjectIntoArtifacts() =>
        Assert.That(DotNet.BuildTool("/r/tools/RegistryToken/RegistryToken.csproj", "/r/artifacts/tools/registry-token").ToString(),
            Is.EqualTo("dotnet build /r/tools/RegistryToken/RegistryToken.csproj --configuration Release --output /r/artifacts/tools/registry-token --nologo --verbosity quiet"));

    [TestCase(RegistryAuth.ApplicationDefault, null, null, "dotnet /t/registry-token.dll application-default")]
    [TestCase(RegistryAuth.ApplicationDefault, null, "127.0.0.1:9189",
        "env --unset=GOOGLE_APPLICATION_CREDENTIALS GCE_METADATA_HOST=127.0.0.1:9189 dotnet /t/registry-token.dll application-default")]
    [TestCase(RegistryAuth.ServiceAccountKey, "/k/key.json", null, "dotnet /t/registry-token.dll service-account-key /k/key.json")]
    [TestCase(RegistryAuth.ServiceAccountKey, "/k/key.json", "127.0.0.1:9189", "dotnet /t/registry-token.dll service-account-key /k/key.json")]
    public void RegistryToken_NamesHowToAuthenticate(RegistryAuth auth, string? key, string? metadataHost, string expected) =>
        Assert.That(DotNet.RegistryToken("/t/registry-token.dll", auth, key, metadataHost).ToString(), Is.EqualTo(expected));

    [Test]
    public void RegistryToken_ForNoAuthentication_Refuses() =>
        Assert.That(() => DotNet.RegistryToken("/t/registry-token.dll", RegistryAuth.None, null), Throws.TypeOf<ArgumentOutOfRangeException>());
}
