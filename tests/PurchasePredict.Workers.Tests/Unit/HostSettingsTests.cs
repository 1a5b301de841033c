namespace PurchasePredict.Workers.Tests.Unit;

public class HostSettingsTests
{
    private static HostSettings From(params (string Name, string Value)[] variables) =>
        HostSettings.From(name => variables.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault(), processorCount: 6);

    [Test]
    public void NoVariables_GivesTheDocumentedDefaults()
    {
        var settings = From();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Workers, Is.EqualTo(4));
            Assert.That(settings.Port, Is.EqualTo(8080));
            Assert.That(settings.WorkerTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(settings.GracefulTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(settings.MaxRequests, Is.Zero);
            Assert.That(settings.MaxRequestsJitter, Is.Zero);
            Assert.That(settings.TestHangAfterRequests, Is.Null);
        }
    }

    [TestCase("auto", 6)]
    [TestCase("AUTO", 6)]
    [TestCase("1", 1)]
    [TestCase(" 2 ", 2)]
    [TestCase("", 4)]
    public void Workers_ParsesCountOrAuto(string raw, int expected) =>
        Assert.That(From(("WORKERS", raw)).Workers, Is.EqualTo(expected));

    [TestCase("WORKERS", "0")]
    [TestCase("WORKERS", "-1")]
    [TestCase("WORKERS", "many")]
    [TestCase("WORKERS", "257")]
    [TestCase("PORT", "0")]
    [TestCase("PORT", "65536")]
    [TestCase("PORT", "http")]
    [TestCase("WORKER_TIMEOUT", "0")]
    [TestCase("WORKER_TIMEOUT", "1.5")]
    [TestCase("GRACEFUL_TIMEOUT", "-5")]
    [TestCase("MAX_REQUESTS", "1e3")]
    [TestCase("MAX_REQUESTS_JITTER", "x")]
    [TestCase(HostSettings.TestHangVariable, "0")]
    public void BadValue_FailsNamingTheVariableAndTheValue(string name, string value) =>
        Assert.That(() => From((name, value)),
            Throws.TypeOf<SettingsException>().With.Message.StartsWith($"{name}='{value}' is invalid: expected"));

    [TestCase(30, 1000)]
    [TestCase(3, 1000)]
    [TestCase(1, 333)]
    public void HeartbeatInterval_IsAtMostOneSecondAndAThirdOfTheTimeout(int timeoutSeconds, int expectedMs) =>
        Assert.That(From(("WORKER_TIMEOUT", timeoutSeconds.ToString())).HeartbeatInterval.TotalMilliseconds,
            Is.EqualTo(expectedMs).Within(1));
}
