namespace PurchasePredict.Pipeline.Tests;

public class SecretsFileTests
{
    [Test]
    public void SecretsFile_ReadsNameValueLines_AndRedactsTheValues()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# comment\nAPI_KEY=abc=def\n\nTOKEN=t0k\n");
            var secrets = SecretsFile.Read(path);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(secrets["API_KEY"].Value, Is.EqualTo("abc=def"));
                var runner = new CommandRunner(_ => { });
                runner.Redact(secrets.Values);
                Assert.That(runner.Redacted("key abc=def and t0k"), Is.EqualTo("key *** and ***"));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void SecretsFile_BadLine_NamesTheLineNotTheValue()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "GOOD=1\nhunter2\n");
            Assert.That(() => SecretsFile.Read(path),
                Throws.TypeOf<SettingsException>().With.Message.Contains("line 2").And.Message.Not.Contains("hunter2"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
