namespace PurchasePredict.Pipeline.Tests;

public class ShellCommandTests
{
    [TestCase("plain", "plain")]
    [TestCase("with space", "'with space'")]
    [TestCase("it's", "'it'\\''s'")]
    [TestCase("", "''")]
    [TestCase("$HOME;rm -rf /", "'$HOME;rm -rf /'")]
    public void Quote_MakesArgumentSafeForPosixShell(string argument, string expected) =>
        Assert.That(ShellQuote.Quote(argument), Is.EqualTo(expected));

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
    public void Runner_PassesArgumentsWithoutShellAndFeedsSecretInput()
    {
        var logged = new List<string>();
        var runner = new CommandRunner(logged.Add);
        var result = runner.Run(ShellCommand.Of("sh", "-c", "printf '%s|' \"$0\"; cat", "a b;c").WithStandardInput(new Secret("s3cret")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.StandardOutput.Trim(), Is.EqualTo("a b;c|s3cret"));
            Assert.That(string.Join("\n", logged), Does.Not.Contain("s3cret"));
        }
    }

    [Test]
    public void Runner_NonZeroExit_ThrowsWithCommandAndStderr()
    {
        var runner = new CommandRunner(_ => { });
        Assert.That(() => runner.Run(ShellCommand.Of("sh", "-c", "echo boom >&2; exit 3")),
            Throws.TypeOf<CommandFailedException>().With.Message.Contains("code 3").And.Message.Contains("boom"));
    }
}
