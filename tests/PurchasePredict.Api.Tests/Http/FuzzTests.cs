using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PurchasePredict.Api.Tests.Http;

/// <summary>
/// At least 10,000 generated malformed bodies against the service process over HTTP: every answer
/// is a 4xx error naming the problem (or a 200 when a mutation happens to stay valid), never a 5xx,
/// and the service still answers the tutorial afterwards.
/// </summary>
public class FuzzTests
{
    private const int MalformedBodiesWanted = 10_000;
    private const int Concurrency = 8;
    private static readonly string[] Paths = ["predict", "predict?proba=true", "invocations"];
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", "\"", ",", ":", "null", "NaN", "1e999", "-", "\\u0000", "\\ud800", "\"\\\\\"", "true", "{}", "[]",
        "\"brand\"", "\"columns\"", "\"data\"", "\"instances\"", "\"dataframe_split\"", "\"17665\"", "1.5", "\"x\":", "\u00e9", "\t",
    ];

    [Test]
    public async Task MalformedBodies_NeverAnswer5xx_AndTheServiceKeepsAnswering()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string> { ["MODEL_URI"] = Repo.DemoModel, ["MAX_ROWS"] = "50" });
        await service.WaitUntilReadyAsync();
        var seeds = SeedBodies();
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        var malformed = 0;
        var sent = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(1234 + worker);
            while (Volatile.Read(ref malformed) < MalformedBodiesWanted && failures.IsEmpty)
            {
                var body = Mutate(seeds[random.Next(seeds.Length)], random);
                var path = Paths[random.Next(Paths.Length)];
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = random.Next(20) == 0 ? new MediaTypeHeaderValue("text/plain") : new MediaTypeHeaderValue("application/json");
                using var response = await service.Http.SendAsync(request);
                var status = (int)response.StatusCode;
                Interlocked.Increment(ref sent);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (status >= 500 || status is not (200 or 400 or 413 or 415))
                    failures.Enqueue($"{status} for {Encoding.UTF8.GetString(body)[..Math.Min(body.Length, 300)]}: {await response.Content.ReadAsStringAsync()}");
                else if (status != 200)
                {
                    // /predict answers RFC 7807 problems, /invocations MLflow's {"error_code", "message"}.
                    var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    var (mediaType, text) = path == "invocations"
                        ? ("application/json", (string?)error["message"])
                        : ("application/problem+json", (string?)error["detail"]);
                    if (response.Content.Headers.ContentType?.MediaType != mediaType || text is not { Length: > 0 })
                        failures.Enqueue($"{status} without an error message: {error.ToJsonString()}");
                    Interlocked.Increment(ref malformed);
                }
            }
        })));
        TestContext.Out.WriteLine($"{sent} requests, {malformed} malformed, in {clock.Elapsed.TotalSeconds:0.0} s; statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"))}");

        Assert.That(failures, Is.Empty);
        Assert.That(malformed, Is.GreaterThanOrEqualTo(MalformedBodiesWanted));
        Assert.That(service.HasExited, Is.False);
        using var after = await service.Http.PostAsync("predict", Bodies.Json(File.ReadAllBytes(Repo.DemoRequest)));
        Assert.That(await after.Content.ReadAsStringAsync(), Is.EqualTo(JsonNode.Parse(File.ReadAllText(Repo.DemoExpected))!["predictions"]!.ToJsonString()));
    }

    /// <summary>Valid bodies of every accepted shape, built from the tutorial's request.</summary>
    private static byte[][] SeedBodies()
    {
        var wrapped = File.ReadAllText(Repo.DemoRequest);
        var frame = JsonNode.Parse(JsonNode.Parse(wrapped)!.GetValue<string>())!.AsObject();
        var columns = frame.Select(c => c.Key).ToArray();
        var labels = frame[columns[0]]!.AsObject().Select(r => r.Key).ToArray();
        JsonArray Records() => new([.. labels.Select(l => (JsonNode)new JsonObject(columns.Select(c => KeyValuePair.Create(c, frame[c]![l]?.DeepClone()))))]);
        JsonArray Rows() => new([.. labels.Select(l => (JsonNode)new JsonArray([.. columns.Select(c => frame[c]![l]?.DeepClone())]))]);
        JsonArray Columns() => new([.. columns.Select(c => (JsonNode)c)]);
        string[] bodies =
        [
            wrapped,
            frame.ToJsonString(),
            Records().ToJsonString(),
            new JsonObject { ["columns"] = Columns(), ["index"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]), ["data"] = Rows() }.ToJsonString(),
            new JsonObject { ["dataframe_split"] = new JsonObject { ["columns"] = Columns(), ["data"] = Rows() } }.ToJsonString(),
            new JsonObject { ["dataframe_records"] = Records() }.ToJsonString(),
            new JsonObject { ["instances"] = Rows() }.ToJsonString(),
        ];
        return [.. bodies.Select(Encoding.UTF8.GetBytes)];
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var body = new List<byte>(seed);
        var mutations = 1 + random.Next(4);
        for (var i = 0; i < mutations; i++)
        {
            var at = random.Next(body.Count + 1);
            switch (random.Next(9))
            {
                case 0: // truncate
                    body.RemoveRange(at, body.Count - at);
                    break;
                case 1: // random bytes, invalid UTF-8 included
                    for (var n = random.Next(1, 4); n > 0 && body.Count > 0; n--) body[random.Next(body.Count)] = (byte)random.Next(256);
                    break;
                case 2: // a JSON-ish fragment
                    body.InsertRange(at, Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]));
                    break;
                case 3: // delete a run
                    if (at < body.Count) body.RemoveRange(at, Math.Min(random.Next(1, 20), body.Count - at));
                    break;
                case 4: // a value of the wrong kind after some ':'
                    var colon = body.IndexOf((byte)':', Math.Min(at, body.Count));
                    if (colon >= 0) body.InsertRange(colon + 1, Encoding.UTF8.GetBytes(new[] { "{\"a\":1},", "[1,[2]],", "\"text\",", "1e400,", "-,", "" }[random.Next(6)]));
                    break;
                case 5: // deep nesting
                    var depth = random.Next(1, 300);
                    body.InsertRange(at, Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', random.Next(depth + 1))));
                    break;
                case 6: // a repeated slice, growing the body (sometimes past MAX_ROWS)
                    var start = random.Next(body.Count + 1);
                    var slice = body.GetRange(start, Math.Min(random.Next(1, 200), body.Count - start));
                    for (var n = random.Next(1, 30); n > 0; n--) body.InsertRange(at, slice);
                    break;
                case 7: // swap two bytes
                    if (body.Count > 1)
                    {
                        var other = random.Next(body.Count);
                        var here = Math.Min(at, body.Count - 1);
                        (body[here], body[other]) = (body[other], body[here]);
                    }
                    break;
                default: // entirely random bytes
                    body = [.. Enumerable.Range(0, random.Next(0, 64)).Select(_ => (byte)random.Next(256))];
                    break;
            }
        }
        return [.. body];
    }
}
