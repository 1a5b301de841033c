using System.Text;
using System.Text.Json;
using PurchasePredict.Workers.Logs;

namespace PurchasePredict.Workers.Tests.Unit;

public class JsonLogLineTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 25, 14, 56, 2, 973, TimeSpan.Zero);

    private static (string Line, JsonElement Json) Format(string message, string? exception = null, params (string Name, object? Value)[] state)
    {
        var line = Encoding.UTF8.GetString(JsonLogLine.Format(Time, 2, "Information", "PurchasePredict.Api.Requests", message, exception,
            [.. state.Select(f => KeyValuePair.Create(f.Name, f.Value))]));
        Assert.That(line.IndexOf('\n'), Is.EqualTo(line.Length - 1), "one line, ending with its newline");
        return (line, JsonDocument.Parse(line).RootElement.Clone());
    }

    [Test]
    public void ShortLine_HasMicrosoftsJsonConsoleShape()
    {
        var (line, _) = Format("POST /predict 200", null, ("Method", "POST"), ("Status", 200), ("ElapsedMs", 0.25), ("Rows", null));
        Assert.That(line, Is.EqualTo(
            """{"Timestamp":"2026-11-25T14:56:02.973Z","EventId":2,"LogLevel":"Information","Category":"PurchasePredict.Api.Requests","Message":"POST /predict 200","State":{"Method":"POST","Status":200,"ElapsedMs":0.25,"Rows":null}}""" + "\n"));
    }

    [Test]
    public void LongFields_AreCutWithAMarker_AndTheLineFitsInOnePipeWrite()
    {
        var path = "/" + new string('p', 8191);
        var (line, json) = Format($"GET {path} 404", null, ("Path", path));
        var cutPath = json.GetProperty("State").GetProperty("Path").GetString()!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Encoding.UTF8.GetByteCount(line), Is.LessThanOrEqualTo(JsonLogLine.MaxBytes));
            Assert.That(cutPath, Does.StartWith("/ppp").And.EndWith("...[7168 more chars]"));
            Assert.That(json.GetProperty("Message").GetString(), Does.StartWith("GET /ppp").And.Contain("more chars]"));
        }
    }

    [Test]
    public void ManyLongFieldsAndEscapes_StillFit_CutShorter()
    {
        var control = new string('\u0001', 3000); // 6 bytes each once escaped
        var fields = Enumerable.Range(0, 40).Select(i => ($"Field{i}", (object?)control)).ToArray();
        var (line, json) = Format(control, control, fields);
        Assert.That(Encoding.UTF8.GetByteCount(line), Is.LessThanOrEqualTo(JsonLogLine.MaxBytes));
        Assert.That(json.GetProperty("Message").GetString(), Does.EndWith("more chars]"));
    }

    [Test]
    public void Credentials_InAnyField_AreRedacted()
    {
        var (line, _) = Format("cannot reach MLflow at http://alice:s3cr3t@mlflow.internal:5000/", "System.Exception: Bearer abc.def.ghi",
            ("Source", "https://storage.googleapis.com/b/o?X-Goog-Signature=0badc0de&X-Goog-Credential=sa%40p"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(line, Does.Not.Contain("s3cr3t").And.Not.Contain("alice").And.Not.Contain("0badc0de").And.Not.Contain("abc.def.ghi").And.Not.Contain("sa%40p"));
            Assert.That(line, Does.Contain("http://***@mlflow.internal:5000/").And.Contain("?X-Goog-Signature=***&X-Goog-Credential=***").And.Contain("Bearer ***"));
        }
    }
}
