namespace PurchasePredict.Pipeline.Tests;

public class ShellQuoteTests
{
    [TestCase("plain", "plain")]
    [TestCase("with space", "'with space'")]
    [TestCase("it's", "'it'\\''s'")]
    [TestCase("", "''")]
    [TestCase("$HOME;rm -rf /", "'$HOME;rm -rf /'")]
    public void Quote_MakesArgumentSafeForPosixShell(string argument, string expected) =>
        Assert.That(ShellQuote.Quote(argument), Is.EqualTo(expected));
}
