using PurchasePredict.Workers.Worker;

namespace PurchasePredict.Workers.Tests.Unit;

public class RequestBudgetTests
{
    [Test]
    public void OnRequest_AsksForASuccessorExactlyOnceAtTheLimit_AndKeepsServing()
    {
        var asked = new List<int>();
        var served = 0;
        var budget = new RequestBudget(() => asked.Add(served), recycleAfter: 3, hangAfter: null);

        var hangs = Enumerable.Range(1, 10).Select(_ => { served++; return budget.OnRequest(); }).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(asked, Is.EqualTo(new[] { 3 }));
            Assert.That(hangs, Is.All.Null, "every request is still served");
        }
    }

    [Test]
    public void For_WithoutAMaster_NeverRecycles()
    {
        var settings = HostSettings.From(name => name == "MAX_REQUESTS" ? "10" : null, processorCount: 2);
        var budget = RequestBudget.For(settings, link: null, new Random(1));
        Assert.That(budget.IsActive, Is.False);
    }

    [Test]
    public void InactiveBudget_ServesEveryRequestWithoutAsking()
    {
        var asked = 0;
        var budget = new RequestBudget(() => asked++, recycleAfter: null, hangAfter: null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Enumerable.Range(0, 100).Select(_ => budget.OnRequest()), Is.All.Null);
            Assert.That(asked, Is.Zero);
            Assert.That(budget.IsActive, Is.False);
        }
    }
}
