using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using PurchasePredict.Api.Endpoints;
using PurchasePredict.Api.Frames;
using PurchasePredict.Api.Settings;

namespace PurchasePredict.Api.Tests.Endpoints;

public class LargeBodyGateTests
{
    private static LargeBodyGate Gate(int maxLargeRequests, TimeSpan wait) =>
        new(ApiSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MODEL_URI"] = "/model.txt",
            ["MAX_LARGE_REQUESTS"] = maxLargeRequests.ToString(),
        }).Build()), wait);

    [Test]
    public async Task FullGate_AnswersA503NamingTheSetting_AfterTheWait_AndTheNextTurnComesOnceOneIsGivenBack()
    {
        var gate = Gate(maxLargeRequests: 2, TimeSpan.FromMilliseconds(200));
        var first = await gate.EnterAsync(new DefaultHttpContext());
        using var second = await gate.EnterAsync(new DefaultHttpContext());

        var refused = Assert.ThrowsAsync<FrameException>(async () => await gate.EnterAsync(new DefaultHttpContext()))!;
        first.Dispose();
        first.Dispose(); // once only: the gate must not grow
        using var third = await gate.EnterAsync(new DefaultHttpContext());

        using (Assert.EnterMultipleScope())
        {
            Assert.That((refused.Status, refused.Title), Is.EqualTo((503, "Too many large requests")));
            Assert.That(refused.Message, Does.Contain("MAX_LARGE_REQUESTS"));
            Assert.That(async () => await gate.EnterAsync(new DefaultHttpContext()), Throws.TypeOf<FrameException>(), "still two at most");
        }
    }

    [TestCase(1024 * 1024, false)]
    [TestCase(1024 * 1024 + 1, true)]
    public void IsLarge_AboveOneMebibyte(long bytes, bool large) => Assert.That(LargeBodyGate.IsLarge(bytes), Is.EqualTo(large));
}
