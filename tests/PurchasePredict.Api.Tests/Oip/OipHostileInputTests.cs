using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Oip;

/// <summary>
/// Bad inference requests get the protocol's <c>{"error": "..."}</c> with the status and a message naming the input
/// at fault; /predict's limits apply (MAX_ROWS=5, MAX_BODY_BYTES=4096 here), and a shape that claims more rows than
/// the limits allow is refused before anything is allocated for it.
/// </summary>
public class OipHostileInputTests
{
    private static ApiServer _server = null!;

    [OneTimeSetUp]
    public async Task Start() =>
        _server = await HandModels.Serve(HandModels.Model("binary sigmoid:1", 1, (0, 1)), ("MAX_ROWS", "5"), ("MAX_BODY_BYTES", "4096"));

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private static string Input(string name, string shape = "[2]", string datatype = "FP64", string data = "[0, 1]") =>
        $$"""{"name": "{{name}}", "shape": {{shape}}, "datatype": "{{datatype}}", "data": {{data}}}""";

    private static string Request(params string[] inputs) => $$"""{"inputs": [{{string.Join(", ", inputs)}}]}""";

    private static readonly string Y = Input("y");

    private static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string body, int status, string error) => new TestCaseData(body, status, error).SetArgDisplayNames(error);
        yield return Case("[]", 400, "the body must be a JSON object");
        yield return Case("{}", 400, "the request has no \"inputs\"");
        yield return Case("""{"inputs": []}""", 400, "\"inputs\" is empty");
        yield return Case("""{"inputs": {}}""", 400, "\"inputs\" must be an array");
        yield return Case(Request(Input("x", shape: "[3]"), Input("y", shape: "[3]")), 400, "input 'x' has 2 values; its shape [3] needs 3");
        yield return Case(Request(Input("x", data: "[0, 1, 1]"), Y), 400, "input 'x' has more values than its shape [2] holds (2)");
        yield return Case(Request(Input("x"), Input("z")), 400, "input 'z' is not a model feature; send one input per feature, named after it (the model's features: x, y)");
        yield return Case(Request(Input("x"), Input("x")), 400, "column 'x' appears twice");
        yield return Case(Request(Input("x")), 400, "column 'y' is a model feature and is missing");
        yield return Case(Request(Input("x"), Input("y", shape: "[3]", data: "[0, 0, 0]")), 400, "input 'y' has 3 rows, other inputs 2");
        yield return Case(Request(Input("x", datatype: "FP16"), Y), 400, "input 'x': datatype 'FP16' is not supported; send FP64, FP32, INT64, INT32, BOOL or BYTES");
        yield return Case(Request(Input("x", datatype: "INT64", data: "[0.5, 1]"), Y), 400, "input 'x', value 0: INT64 needs whole numbers");
        yield return Case(Request(Input("x", datatype: "INT32", data: "[1, 3000000000]"), Y), 400, "input 'x', value 1: INT32 needs whole numbers within 32 bits");
        yield return Case(Request(Input("x", datatype: "INT64", data: "[null, 1]"), Y), 400, "input 'x', value 0: null where INT64 needs whole numbers");
        yield return Case(Request(Input("x", datatype: "BOOL", data: "[true, 1]"), Y), 400, "input 'x', value 1: a number where BOOL needs true or false");
        yield return Case(Request(Input("x", data: "[\"abc\", 1]"), Y), 400, "input 'x', value 0: a string where FP64 needs numbers (null for missing)");
        yield return Case(Request(Input("x", datatype: "BYTES", data: "[\"abc\", \"1\"]"), Y), 400, "input 'x', value 0: text \"abc\" is not a number");
        yield return Case(Request(Input("x", data: "[1e400, 1]"), Y), 400, "input 'x', value 0: the number is out of range for FP64");
        yield return Case(Request(Input("x", datatype: "FP32", data: "[1, 1e39]"), Y), 400, "input 'x', value 1: the number is out of range for FP32");
        yield return Case(Request(Input("x", data: "[{\"a\": 1}, 1]"), Y), 400, "input 'x', value 0: an object where FP64 needs numbers");
        yield return Case(Request(Input("x", shape: "[2, 1, 1]"), Y), 400, "input 'x': shape has more than 2 dimensions");
        yield return Case(Request(Input("x", shape: "[-1]"), Y), 400, "input 'x': shape must hold whole numbers of 0 or more");
        yield return Case(Request(Input("x", shape: "[]"), Y), 400, "input 'x': shape is empty");
        yield return Case(Request(Input("x", shape: "[2, 2]"), Y), 400, "input 'x' has shape [2, 2]; an input per feature needs [rows] or [rows, 1]");
        yield return Case(Request(Input("t", shape: "[1, 3]", data: "[0, 0, 0]")), 400, "input 't' has shape [1, 3]: one input needs shape [rows, 2]");
        yield return Case(Request(Input("x", shape: "[0]", data: "[]"), Input("y", shape: "[0]", data: "[]")), 400, "the inputs have no rows");
        yield return Case("""{"inputs": [{"name": "x", "shape": [2], "datatype": "FP64"}]}""", 400, "input 'x' has no data");
        yield return Case("""{"inputs": [{"shape": [2], "datatype": "FP64", "data": [1, 2]}]}""", 400, "input 0 has no name");
        yield return Case(Request(Input("x", data: "5"), Y), 400, "input 'x': data must be an array");
        yield return Case($$"""{"inputs": [{"name": "x", "name": "y", "shape": [2], "datatype": "FP64", "data": [1, 2]}]}""", 400, "input 'x''s name is given twice");
        yield return Case($$"""{"id": 5, "inputs": [{{Input("x")}}, {{Y}}]}""", 400, "\"id\" must be a string");
        yield return Case($$"""{"inputs": [{{Input("x")}}, {{Y}}], "outputs": [{"name": "value"}]}""", 400, "output 'value' is not one this binary model answers: ask for 'probability', 'label' or 'predict'");
        yield return Case($$"""{"inputs": [{{Input("x")}}, {{Y}}], "outputs": [{"name": "label"}, {"name": "label"}]}""", 400, "output 'label' is requested twice");
        yield return Case($$"""{"inputs": [{{Input("x")}}, {{Y}}], "inputs": []}""", 400, "inputs is given twice");
        yield return Case(Request(Input("x", data: "[NaN, 1]"), Y), 400, "Malformed JSON");
        yield return Case(Request(Input("x"), Y) + "{}", 400, "Malformed JSON: '{' is invalid after a single JSON value");
        yield return Case(Request(Input(new string('n', 2000)), Y), 400, "input 0's name is longer than 1024 bytes");
        yield return Case(Request(Input("x", shape: "[6]", data: "[0,0,0,0,0,0]"), Input("y", shape: "[6]", data: "[0,0,0,0,0,0]")), 413, "the frame has more than 5 rows (MAX_ROWS)");
        yield return Case(Request(Input("t", shape: "[4000000000000, 2]", data: "[]")), 413, "the frame has more than 5 rows (MAX_ROWS)");
        yield return Case(Request(Input("x", data: $"[{string.Join(",", Enumerable.Repeat("0", 3000))}]"), Y), 413, "the request body is over 4096 bytes (MAX_BODY_BYTES)");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task BadRequest_AnswersTheProtocolsErrorNamingTheProblem(string body, int status, string error)
    {
        using var response = await _server.Http.PostAsync(OipBodies.InferPath, Bodies.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status), text);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That((string?)JsonNode.Parse(text)!["error"], Does.Contain(error));
        }
    }

    [TestCase(null)]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("text/plain")]
    public async Task ValidRequest_IsReadAsJsonWhateverItsContentType(string? contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Request(Input("x"), Y)));
        if (contentType is not null) content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var answered = await _server.Http.PostAsync(OipBodies.InferPath, content);
        Assert.That(answered.StatusCode, Is.EqualTo(HttpStatusCode.OK), await answered.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task CsvBody_Is415NamingInvocations()
    {
        using var csv = new ByteArrayContent("x,y\n0,0\n"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } };
        using var refused = await _server.Http.PostAsync(OipBodies.InferPath, csv);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That((string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"], Does.Contain("CSV goes to POST /invocations"));
    }

    [Test]
    public async Task UnknownParameters_AreIgnored()
    {
        var body = $$"""{"id": "a", "parameters": {"x": [1, {"deep": true}]}, "inputs": [{"name": "x", "shape": [2], "datatype": "FP64", "parameters": {"content_type": "np", "other": 1}, "data": [0, 1]}, {{Y}}], "unknown": null}""";
        using var response = await _server.Http.PostAsync(OipBodies.InferPath, Bodies.Json(body));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
