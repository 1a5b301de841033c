using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Http;

/// <summary>
/// MLflow's scoring server (mlflow/pyfunc/scoring_server, 2.x Flask and 3.x FastAPI): text/csv input, GET /health and
/// /version, errors as {"error_code", "message"} on /invocations; plus gzip bodies, HEAD, a leading BOM and Retry-After.
/// </summary>
public class MlflowParityTests
{
    private const int MaxBodyBytes = 20_000;
    private static ApiServer _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await ApiServer.StartWithDemoModelAsync(("MAX_BODY_BYTES", MaxBodyBytes.ToString()));

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private static double[] ExpectedProbabilities =>
        JsonNode.Parse(File.ReadAllText(Repo.DemoExpected))!["probabilities"]!.Deserialize<double[]>()!;

    private static async Task<(HttpStatusCode Status, string? MediaType, string Body, HttpResponseMessage Response)> Post(
        string path, byte[] body, string contentType, string? contentEncoding = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (contentEncoding is not null) content.Headers.ContentEncoding.Add(contentEncoding);
        var response = await _server.Http.PostAsync(path, content);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(), response);
    }

    private static byte[] Gzip(byte[] bytes)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize)) gzip.Write(bytes);
        return output.ToArray();
    }

    [TestCase("text/csv")]
    [TestCase("text/csv; charset=utf-8")]
    public async Task Invocations_TextCsvAsPandasToCsvWritesIt_AnswersTheSamePredictions(string contentType)
    {
        var (status, _, body, _) = await Post("invocations", Encoding.UTF8.GetBytes(TutorialFrame.Csv()), contentType);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(JsonNode.Parse(body)!["predictions"]!.Deserialize<double[]>(), Is.EqualTo(ExpectedProbabilities).Within(1e-12));
    }

    [TestCase("health")]
    [TestCase("ping")]
    public async Task HealthAndPing_WithAModel_AnswerAsMlflowDoes(string path)
    {
        using var response = await _server.Http.GetAsync(path);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("\n"));
        }
    }

    [Test]
    public async Task Version_AnswersThisBuildsVersion()
    {
        using var response = await _server.Http.GetAsync("version");
        var expected = typeof(ApiApp).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.That((response.StatusCode, await response.Content.ReadAsStringAsync()), Is.EqualTo((HttpStatusCode.OK, expected)));
    }

    [TestCase("")]
    [TestCase("health/live")]
    [TestCase("health/ready")]
    [TestCase("ping")]
    [TestCase("health")]
    [TestCase("version")]
    public async Task Head_OnEveryCheck_Is200WithoutABody(string path)
    {
        using var response = await _server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [TestCase("{", 400, "Malformed JSON")]
    [TestCase("""{"dataframe_split": {"columns": ["brand"], "data": [["hp"]]}}""", 400, "Missing model feature")]
    public async Task InvocationsError_IsMlflowsJson_WhilePredictKeepsProblemDetails(string body, int status, string title)
    {
        var mlflow = await Post("invocations", Encoding.UTF8.GetBytes(body), "application/json");
        var flask = await Post("predict", Encoding.UTF8.GetBytes(body), "application/json");
        var error = JsonNode.Parse(mlflow.Body)!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(((int)mlflow.Status, mlflow.MediaType), Is.EqualTo((status, "application/json")));
            Assert.That(error.Select(p => p.Key), Is.EquivalentTo(new[] { "error_code", "message" }));
            Assert.That((string?)error["error_code"], Is.EqualTo("BAD_REQUEST"));
            Assert.That((string?)error["message"], Does.StartWith(title + ": "));
            Assert.That(((int)flask.Status, flask.MediaType), Is.EqualTo((status, "application/problem+json")));
            Assert.That((string?)JsonNode.Parse(flask.Body)!["title"], Is.EqualTo(title));
        }
    }

    [Test]
    public async Task InvocationsError_ForAnUnsupportedMediaType_IsMlflowsJsonWith415()
    {
        var (status, mediaType, body, _) = await Post("invocations", "a=1"u8.ToArray(), "application/x-www-form-urlencoded");
        Assert.That((status, mediaType, (string?)JsonNode.Parse(body)!["error_code"]),
            Is.EqualTo((HttpStatusCode.UnsupportedMediaType, "application/json", "BAD_REQUEST")));
    }

    [TestCase("predict")]
    [TestCase("invocations")]
    public async Task GzipBody_IsInflatedAndAnswered(string path)
    {
        var (status, _, body, _) = await Post(path + "?proba=true", Gzip(File.ReadAllBytes(Repo.DemoRequest)), "application/json", "gzip");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        var answer = JsonNode.Parse(body)!;
        Assert.That((path == "predict" ? answer : answer["predictions"]).Deserialize<double[]>(), Is.EqualTo(ExpectedProbabilities).Within(1e-12));
    }

    [Test]
    public async Task GzipBody_InflatingPastMaxBodyBytes_Is413NamingTheLimit()
    {
        // Random digits compress only about 2 times: well under the ratio bound, over the size limit once inflated.
        var random = new Random(7);
        var json = "[" + string.Join(",", Enumerable.Range(0, 3000).Select(_ => random.Next(100_000_000).ToString())) + "]";
        var compressed = Gzip(Encoding.UTF8.GetBytes(json));
        Assert.That(compressed, Has.Length.LessThan(MaxBodyBytes), "the compressed body itself is under the limit");
        var (status, _, body, _) = await Post("predict", compressed, "application/json", "gzip");
        Assert.That((status, body), Is.EqualTo((HttpStatusCode.RequestEntityTooLarge, body)));
        Assert.That(body, Does.Contain($"inflates to more than {MaxBodyBytes} bytes (MAX_BODY_BYTES)"));
    }

    [Test]
    public async Task GzipBomb_Is413NamingTheRatioBound()
    {
        var bomb = Gzip(Encoding.UTF8.GetBytes(new string(' ', MaxBodyBytes - 10) + "[]"));
        var (status, _, body, _) = await Post("invocations", bomb, "application/json", "gzip");
        Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((string?)JsonNode.Parse(body)!["message"], Does.Contain($"inflates to more than {PurchasePredict.Api.Endpoints.GzipBody.MaxRatio} times its {bomb.Length} bytes"));
    }

    [TestCase("gzip", "not gzip at all", HttpStatusCode.BadRequest)]
    [TestCase("br", "[]", HttpStatusCode.UnsupportedMediaType)]
    [TestCase("gzip, br", "[]", HttpStatusCode.UnsupportedMediaType)]
    public async Task BadOrUnsupportedEncoding_IsAClientError(string encoding, string body, HttpStatusCode expected)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.TryAddWithoutValidation("Content-Encoding", encoding);
        using var response = await _server.Http.PostAsync("predict", content);
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task LeadingByteOrderMark_IsAccepted()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(File.ReadAllBytes(Repo.DemoRequest)).ToArray();
        var (status, _, text, _) = await Post("invocations", body, "application/json");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
    }
}
