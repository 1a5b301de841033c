namespace PurchasePredict.Pipeline.Tests;

public class ShellCommandTests
{
    [Test]
    public void ToString_RedactsSecretArguments()
    {
        var command = ShellCommand.Of("docker", "login", "-p", new Secret("hunter2"), "gcr.io");
        Assert.That(command.ToString(), Is.EqualTo("docker login -p *** gcr.io"));
    }

    [Test]
    public void ToShellLine_WithSecretArgument_Refuses()
    {
        var command = ShellCommand.Of("echo", new Secret("hunter2"));
        Assert.That(() => command.ToShellLine(), Throws.InvalidOperationException.With.Message.Not.Contains("hunter2"));
    }

    [Test]
    public void InputFile_ShowsAsARedirectionButStaysOutOfTheShellLine()
    {
        var command = ShellCommand.Of("sh", "-s", "--", "a b").WithInputFile("/repo/build/remote/x.sh");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(command.ToString(), Is.EqualTo("sh -s -- 'a b' < x.sh"));
            Assert.That(command.ToShellLine(), Is.EqualTo("sh -s -- 'a b'"));
        }
    }

    [Test]
    public void Wrapped_KeepsTheInputAndThePlannedOutput()
    {
        var wrapped = ShellCommand.Of("true").WithInputFile("/s/x.sh").Planned("42").Wrapped("sudo", ["-n", "--", "true"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(wrapped.ToString(), Is.EqualTo("sudo -n -- true < x.sh"));
            Assert.That(wrapped.InputFile, Is.EqualTo("/s/x.sh"));
            Assert.That(wrapped.PlannedOutput, Is.EqualTo("42"));
        }
    }

    [Test]
    public void All_JoinsTheCommandsWithAndInOneShell() =>
        Assert.That(ShellCommand.All(ShellCommand.Of("a", "x y"), ShellCommand.Of("b")).ToShellLine(),
            Is.EqualTo("sh -c 'a '\\''x y'\\'' && b' sh"));

    [Test]
    public void Of_RefusesArgumentsThatAreNeitherTextNorSecret() =>
        Assert.That(() => ShellCommand.Of("echo", 42), Throws.ArgumentException);
}
