using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Http;

/// <summary>Every client mistake is a 4xx application/problem+json answer naming the problem.</summary>
public class ProblemTests
{
    private static ApiServer _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await ApiServer.StartWithDemoModelAsync(("MAX_ROWS", "10"), ("MAX_BODY_BYTES", "20000"));

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private static async Task<(HttpStatusCode Status, JsonNode Problem)> Send(HttpRequestMessage request)
    {
        using var response = await _server.Http.SendAsync(request);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), $"{request.RequestUri} answered {response.StatusCode}");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That((int?)problem["status"], Is.EqualTo((int)response.StatusCode));
        return (response.StatusCode, problem);
    }

    private static HttpRequestMessage Post(string path, string body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    [Test]
    public async Task MissingFeature_Is400NamingTheColumn()
    {
        var (status, problem) = await Send(Post("predict", """[{"product_id": 1}]"""));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string?)problem["title"], Is.EqualTo("Missing model feature"));
            Assert.That((string?)problem["column"], Is.EqualTo("brand"));
            Assert.That((string?)problem["detail"], Does.Contain("'brand'"));
        }
    }

    [Test]
    public async Task TextWhereNumberNeeded_Is400NamingColumnAndRow()
    {
        var body = File.ReadAllText(Repo.DemoRequest).Replace("\\\"price\\\":{\\\"17665\\\":10.44", "\\\"price\\\":{\\\"17665\\\":\\\"cheap\\\"");
        var (status, problem) = await Send(Post("predict", body));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string?)problem["column"], Is.EqualTo("price"));
            Assert.That((string?)problem["row"], Is.EqualTo("17665"));
            Assert.That((string?)problem["detail"], Does.Contain("\"cheap\" where a number is needed"));
        }
    }

    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("application/json; charset=utf-16")]
    [TestCase(null)]
    public async Task WrongContentType_Is415(string? contentType)
    {
        var (status, problem) = await Send(Post("predict", "[]", contentType));
        Assert.That(status, Is.EqualTo(HttpStatusCode.UnsupportedMediaType), (string?)problem["detail"]);
    }

    [Test]
    public async Task BodyOverTheLimit_Is413_WithOrWithoutContentLength()
    {
        var big = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("{\"x\": 12345678}", 2000)) + "]");
        var withLength = await RawHttp.SendAsync(_server.Address, "POST", "/predict",
            ["Content-Type: application/json", $"Content-Length: {big.Length}"], big);
        var chunked = await RawHttp.SendAsync(_server.Address, "POST", "/invocations",
            ["Content-Type: application/json", "Transfer-Encoding: chunked"], RawHttp.Chunked(big, 4096));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(withLength.Status, Is.EqualTo(413), withLength.Body);
            Assert.That(chunked.Status, Is.EqualTo(413), chunked.Body);
            Assert.That(withLength.Headers, Does.Contain("application/problem+json"));
            Assert.That(chunked.Body, Does.Contain("MAX_BODY_BYTES"));
        }
    }

    [Test]
    public async Task ChunkedBody_OfExactlyMaxBodyBytes_IsAcceptedAsWithContentLength()
    {
        // The limit is the body's own 20,000 bytes: the chunked framing around them does not count.
        var frame = Encoding.UTF8.GetBytes(File.ReadAllText(Repo.DemoRequest));
        var body = frame.Concat(Enumerable.Repeat((byte)' ', 20_000 - frame.Length)).ToArray();
        var chunked = await RawHttp.SendAsync(_server.Address, "POST", "/predict",
            ["Content-Type: application/json", "Transfer-Encoding: chunked"], RawHttp.Chunked(body, 4096));
        var withLength = await RawHttp.SendAsync(_server.Address, "POST", "/predict",
            ["Content-Type: application/json", $"Content-Length: {body.Length}"], body);
        Assert.That((chunked.Status, withLength.Status), Is.EqualTo((200, 200)), chunked.Body);
    }

    [Test]
    public async Task LongRowLabelOrInvalidLiteral_AnswerStaysSmall_WhateverTheRequestHolds()
    {
        var label = new string('L', 4000);
        var (_, labelProblem) = await Send(Post("predict", $$$"""{"price": {"{{{label}}}": "cheap"}}"""));
        var (_, literalProblem) = await Send(Post("predict", "[{\"price\": tru" + new string('e', 4000) + "}]"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(labelProblem.ToJsonString(), Has.Length.LessThan(600));
            Assert.That(literalProblem.ToJsonString(), Has.Length.LessThan(1000));
        }
    }

    [Test]
    public async Task MoreRowsThanMaxRows_Is413()
    {
        var (status, problem) = await Send(Post("predict", "[" + string.Join(",", Enumerable.Repeat("{}", 11)) + "]"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((string?)problem["detail"], Does.Contain("more than 10 rows"));
    }

    [TestCase("{", "Malformed JSON")]
    [TestCase("", "Empty frame")]
    [TestCase("{}", "Empty frame")]
    public async Task BadJson_Is400(string body, string title)
    {
        var (status, problem) = await Send(Post("predict", body));
        Assert.That((status, (string?)problem["title"]), Is.EqualTo((HttpStatusCode.BadRequest, title)));
    }

    [Test]
    public async Task BadProbaFlag_Is400NamingTheParameter()
    {
        var (status, problem) = await Send(Post("predict?proba=maybe", "[]"));
        Assert.That((status, (string?)problem["parameter"]), Is.EqualTo((HttpStatusCode.BadRequest, "proba")));
    }

    [Test]
    public async Task UnknownPathAndWrongMethod_AreProblemsToo()
    {
        var (notFound, _) = await Send(new HttpRequestMessage(HttpMethod.Get, "nothing-here"));
        var (wrongMethod, _) = await Send(new HttpRequestMessage(HttpMethod.Get, "predict"));
        Assert.That((notFound, wrongMethod), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed)));
    }
}
