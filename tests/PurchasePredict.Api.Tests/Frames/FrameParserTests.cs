using System.Text;
using PurchasePredict.Api.Frames;

namespace PurchasePredict.Api.Tests.Frames;

public class FrameParserTests
{
    private const double NaN = double.NaN;

    // a, b: numerical; cat: pandas categorical x, y, z; code: categorical with no category names.
    private static readonly FrameSchema Schema = new(
        ["a", "b", "cat", "code"],
        [null, null, ["x", "y", "z"], null],
        [false, false, true, true]);

    private static FrameLimits Limits(int maxRows = 1000, long maxFrameBytes = 1 << 20) => new(maxRows, maxFrameBytes, OutputsPerRow: 1);

    private static double[][] Parse(string json, int maxRows = 1000, int segmentSize = 0) => Parse(Encoding.UTF8.GetBytes(json), Limits(maxRows), segmentSize);

    private static double[][] Parse(byte[] bytes, FrameLimits limits, int segmentSize = 0, bool csv = false)
    {
        var parser = new FrameParser();
        var body = Bodies.Segmented(bytes, segmentSize > 0 ? segmentSize : bytes.Length + 1);
        if (csv) parser.ParseCsv(body, Schema, limits);
        else parser.Parse(body, Schema, limits);
        var values = parser.Values.ToArray();
        return [.. Enumerable.Range(0, parser.RowCount).Select(r => values[(r * 4)..(r * 4 + 4)])];
    }

    private static double[][] ParseCsv(string csv, int segmentSize = 0) => Parse(Encoding.UTF8.GetBytes(csv), Limits(), segmentSize, csv: true);

    private static FrameException Fails(string json, int maxRows = 1000) =>
        Assert.Throws<FrameException>(() => Parse(json, maxRows))!;

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(7)]
    public void ColumnsOrient_WrappedInJsonString_KeepsPandasRowOrder(int segmentSize)
    {
        // What requests.post(json=df.to_json()) sends for rows with index 5 then 2: pandas keeps that order.
        const string json = "\"{\\\"a\\\":{\\\"5\\\":1.5,\\\"2\\\":2},\\\"b\\\":{\\\"5\\\":3,\\\"2\\\":null},\\\"cat\\\":{\\\"5\\\":\\\"z\\\",\\\"2\\\":\\\"x\\\"},\\\"code\\\":{\\\"5\\\":4,\\\"2\\\":0}}\"";
        Assert.That(Parse(json, segmentSize: segmentSize), Is.EqualTo(new[] { new[] { 1.5, 3, 2, 4 }, new[] { 2, NaN, 0, 0 } }));
    }

    [TestCase(0)]
    [TestCase(3)]
    public void ColumnsOrient_Unwrapped_ColumnsInAnyOrderAndExtrasIgnored(int segmentSize)
    {
        const string json = """{"user_id": {"0": "u1", "1": "u2"}, "code": {"0": 1, "1": 2}, "b": {"0": 10, "1": 20}, "cat": {"0": "y", "1": "y"}, "a": {"0": -1, "1": 0}}""";
        Assert.That(Parse(json, segmentSize: segmentSize), Is.EqualTo(new[] { new double[] { -1, 10, 1, 1 }, new double[] { 0, 20, 1, 2 } }));
    }

    [Test]
    public void ColumnsOrient_LabelsShuffledPerColumn_AlignsValuesByLabel()
    {
        const string json = """{"a": {"1": 1, "2": 2}, "b": {"2": 20, "1": 10}, "cat": {"2": "y", "1": "x"}, "code": {"1": 7, "2": 8}}""";
        Assert.That(Parse(json), Is.EqualTo(new[] { new double[] { 1, 10, 0, 7 }, new double[] { 2, 20, 1, 8 } }));
    }

    [Test]
    public void ColumnsOrient_ManyRowsShuffled_AlignsValuesByLabel()
    {
        var labels = Enumerable.Range(0, 50).Select(i => i * 3).ToArray();
        var shuffled = labels.Reverse().ToArray();
        string Column(IEnumerable<int> order, Func<int, string> value) => "{" + string.Join(",", order.Select(l => $"\"{l}\": {value(l)}")) + "}";
        var json = $$"""{"a": {{Column(labels, l => l.ToString())}}, "b": {{Column(shuffled, l => (l * 10).ToString())}}, "cat": {{Column(shuffled, _ => "\"z\"")}}, "code": {{Column(shuffled, l => (l + 1).ToString())}}}""";
        var rows = Parse(json);
        Assert.That(rows, Has.Length.EqualTo(50));
        Assert.That(rows.Select(r => r[1]), Is.EqualTo(labels.Select(l => l * 10.0)));
        Assert.That(rows.Select(r => r[3]), Is.EqualTo(labels.Select(l => l + 1.0)));
    }

    [Test]
    public void ColumnsOrient_LabelFirstSeenInLaterOrIgnoredColumn_IsAppendedWithMissingValues()
    {
        // pandas unions the row labels of all columns (extras too) in first-seen order, unsorted.
        const string json = """{"extra": {"9": 0}, "a": {"3": 1}, "b": {"3": 2, "4": 5}, "cat": {"3": "x"}, "code": {"3": 1}}""";
        Assert.That(Parse(json), Is.EqualTo(new[]
        {
            new[] { NaN, NaN, NaN, NaN },
            new double[] { 1, 2, 0, 1 },
            new[] { NaN, 5, NaN, NaN },
        }));
    }

    [Test]
    public void ColumnsOrient_ColumnsAsArrays_AreRowsByPosition()
    {
        const string json = """{"a": [1, 2], "b": [3, 4], "cat": ["x", null], "code": [5, 6], "extra": ["p", "q"]}""";
        Assert.That(Parse(json), Is.EqualTo(new[] { new double[] { 1, 3, 0, 5 }, new[] { 2, 4, NaN, 6 } }));
    }

    [TestCase(0)]
    [TestCase(2)]
    public void Records_AbsentKeysAreMissing_EscapedNamesMatch(int segmentSize)
    {
        const string json = """[{"a": 1, "b": 2, "cat": "z", "code": 3, "other": [1]}, {"\u0061": 4, "cat": null, "code": 1}, {"b": 5}]""";
        Assert.That(Parse(json, segmentSize: segmentSize), Is.EqualTo(new[]
        {
            new double[] { 1, 2, 2, 3 },
            new[] { 4, NaN, NaN, 1 },
            new[] { NaN, 5, NaN, NaN },
        }));
    }

    [Test]
    public void Split_KeysInAnyOrder_ColumnsReorderedAndExtrasIgnored()
    {
        const string json = """{"data": [[1, "x", 2, 3, 4], [5, "y", null, 7, 8]], "index": [10, 11], "columns": ["code", "cat", "a", "extra", "b"]}""";
        Assert.That(Parse(json), Is.EqualTo(new[] { new double[] { 2, 4, 0, 1 }, new[] { NaN, 8, 1, 5 } }));
    }

    [TestCase("""{"dataframe_split": {"columns": ["a", "b", "cat", "code"], "data": [[1, 2, "y", 3]]}}""")]
    [TestCase("""{"params": {"x": 1}, "dataframe_records": [{"a": 1, "b": 2, "cat": "y", "code": 3}]}""")]
    [TestCase("""{"instances": [{"a": 1, "b": 2, "cat": "y", "code": 3}]}""")]
    [TestCase("""{"instances": [[1, 2, "y", 3]]}""")]
    [TestCase("""{"inputs": {"a": [1], "b": [2], "cat": ["y"], "code": [3]}}""")]
    [TestCase("""{"inputs": [{"a": 1, "b": 2, "cat": "y", "code": 3}]}""")]
    [TestCase("""[[1, 2, "y", 3]]""")]
    public void MlflowAndPositionalShapes_ReadTheSameRow(string json) =>
        Assert.That(Parse(json), Is.EqualTo(new[] { new double[] { 1, 2, 1, 3 } }));

    [Test]
    public void Values_NullNaNTextBooleansAndNumericText()
    {
        const string json = """[{"a": null, "b": "NaN", "cat": null, "code": "2"}, {"a": true, "b": " 1e3 ", "cat": 2, "code": false}, {"a": "-0.5", "b": 1E-2, "cat": "\u0078", "code": 12}]""";
        Assert.That(Parse(json), Is.EqualTo(new[]
        {
            new[] { NaN, NaN, NaN, 2 },
            new double[] { 1, 1000, 2, 0 },
            new[] { -0.5, 0.01, 0, 12 },
        }));
    }

    [TestCase("", 400, "Empty frame", null, null)]
    [TestCase("   ", 400, "Empty frame", null, null)]
    [TestCase("{}", 400, "Empty frame", null, null)]
    [TestCase("[]", 400, "Empty frame", null, null)]
    [TestCase("\"\"", 400, "Empty frame", null, null)]
    [TestCase("""{"a": {}, "b": {}, "cat": {}, "code": {}}""", 400, "Empty frame", null, null)]
    [TestCase("{", 400, "Malformed JSON", null, null)]
    [TestCase("""[{"a": 1,}]""", 400, "Malformed JSON", null, null)]
    [TestCase("""{"a": {"0": 1}} x""", 400, "Malformed JSON", null, null)]
    [TestCase("\"{\\\"a\\\": \"", 400, "Malformed JSON", null, null)]
    [TestCase("NaN", 400, "Malformed JSON", null, null)]
    [TestCase("5", 400, "Unsupported frame shape", null, null)]
    [TestCase("\"\\\"x\\\"\"", 400, "Unsupported frame shape", null, null)]
    [TestCase("""{"a": {"0": 1}, "b": {"0": 1}, "cat": {"0": "x"}}""", 400, "Missing model feature", "code", null)]
    [TestCase("""[{"a": 1, "b": 1, "code": 1}]""", 400, "Missing model feature", "cat", null)]
    [TestCase("""{"a": {"0": 1, "7": "abc"}, "b": {"0": 1}, "cat": {"0": "x"}, "code": {"0": 1}}""", 400, "Invalid value", "a", "7")]
    [TestCase("""{"a": {"0": 1}, "b": {"0": 1}, "cat": {"0": "x", "12": "w"}, "code": {"0": 1}}""", 400, "Invalid value", "cat", "12")]
    [TestCase("""[{"a": 1, "b": 1, "cat": "x", "code": "one"}]""", 400, "Invalid value", "code", "0")]
    [TestCase("""[{"a": 1, "b": 1, "cat": "x", "code": 1}, {"a": {"x": 1}}]""", 400, "Invalid value", "a", "1")]
    [TestCase("""[{"a": 1e400, "b": 1, "cat": "x", "code": 1}]""", 400, "Invalid value", "a", "0")]
    [TestCase("""[{"a": "1e400", "b": 1, "cat": "x", "code": 1}]""", 400, "Invalid value", "a", "0")]
    [TestCase("""[{"a": "-Infinity", "b": 1, "cat": "x", "code": 1}]""", 400, "Invalid value", "a", "0")]
    [TestCase("""[{"a": 1, "b": 1, "cat": "x", "code": "Infinity"}]""", 400, "Invalid value", "code", "0")]
    [TestCase("""[{"a": 1, "b": 1, "cat": "x", "code": 1, "a": 2}]""", 400, "Duplicate key", "a", "0")]
    [TestCase("""{"a": {"0": 1, "0": 2}, "b": {"0": 1}, "cat": {"0": "x"}, "code": {"0": 1}}""", 400, "Duplicate key", "a", "0")]
    [TestCase("""{"extra": {"7": 1, "7": 2}, "a": {"7": 1}, "b": {"7": 1}, "cat": {"7": "x"}, "code": {"7": 1}}""", 400, "Duplicate key", null, "7")]
    [TestCase("""{"columns": ["a", "b", "cat", "code"], "data": [[1, 2, "x", 3]], "data": [[4, 5, "y", 6]]}""", 400, "Duplicate key", null, null)]
    [TestCase("""{"columns": ["a", "b", "cat", "code"], "columns": ["b", "a", "cat", "code"], "data": [[1, 2, "x", 3]]}""", 400, "Duplicate key", null, null)]
    [TestCase("""{"dataframe_split": {"index": [0], "columns": ["a", "b", "cat", "code"], "index": [1], "data": [[1, 2, "x", 3]]}}""", 400, "Duplicate key", null, null)]
    [TestCase("""{"columns": ["a", "b", "a", "cat", "code"], "data": [[1, 2, 3, "x", 4]]}""", 400, "Duplicate column", "a", null)]
    [TestCase("""[[1, 2, "x"]]""", 400, "Invalid row", null, "0")]
    [TestCase("""[{"a": 1}, [1, 2, "x", 3]]""", 400, "Unsupported frame shape", null, null)]
    [TestCase("""[1, 2]""", 400, "Unsupported frame shape", null, null)]
    [TestCase("""{"a": {"0": 1}, "a": {"0": 2}}""", 400, "Duplicate column", "a", null)]
    [TestCase("""{"a": {"0": 1}, "b": [1]}""", 400, "Unsupported frame shape", null, null)]
    [TestCase("""{"a": [1, 2], "b": [1]}""", 400, "Unsupported frame shape", null, null)]
    [TestCase("""{"a": 1, "b": 2}""", 400, "Unsupported frame shape", "a", null)]
    [TestCase("""{"columns": ["a", "b", "cat", "code"], "index": [0]}""", 400, "Unsupported frame shape", null, null)]
    [TestCase("""{"columns": ["a", "b", "cat", "code"], "data": [[1, 2, "x"]]}""", 400, "Invalid row", null, "0")]
    [TestCase("""{"dataframe_split": {"columns": ["a"], "data": []}}""", 400, "Empty frame", null, null)]
    [TestCase("""{"dataframe_split": {"data": [[1]]}}""", 400, "Unsupported frame shape", null, null)]
    [TestCase("""{"instances": [], "inputs": []}""", 400, "Unsupported frame shape", null, null)]
    [TestCase("""{"instances": {"a": 1}}""", 400, "Unsupported frame shape", null, null)]
    [TestCase("""[{"a": 1, "b": 1, "cat": "\ud800", "code": 1}]""", 400, "Malformed JSON", null, null)]
    public void BadFrame_NamesTheProblem(string json, int status, string title, string? column, string? row)
    {
        var e = Fails(json);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Status, Is.EqualTo(status), e.Message);
            Assert.That(e.Title, Is.EqualTo(title), e.Message);
            Assert.That(e.Column, Is.EqualTo(column), e.Message);
            Assert.That(e.Row, Is.EqualTo(row), e.Message);
            if (column is not null) Assert.That(e.Message, Does.Contain($"'{column}'"));
        }
    }

    [Test]
    public void UnknownCategory_SaysWhichText()
    {
        var e = Fails("""[{"a": 1, "b": 1, "cat": "purple", "code": 1}]""");
        Assert.That(e.Message, Is.EqualTo("column 'cat', row 0: unknown category \"purple\""));
    }

    [Test]
    public void InvalidUtf8InAString_IsMalformed()
    {
        var bytes = Encoding.UTF8.GetBytes("""[{"a": 1, "b": 1, "cat": "?", "code": 1}]""");
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xFF;
        var e = Assert.Throws<FrameException>(() => new FrameParser().Parse(new(bytes), Schema, Limits(10)))!;
        Assert.That(e.Title, Is.EqualTo("Malformed JSON"));
    }

    [TestCase("""[{"a": 1}, {"a": 2}, {"a": 3}]""")]
    [TestCase("""{"a": {"0": 1, "1": 2, "2": 3}}""")]
    [TestCase("""{"a": [1, 2, 3]}""")]
    [TestCase("""{"columns": ["a"], "data": [[1], [2], [3]]}""")]
    public void MoreRowsThanTheLimit_Is413(string json)
    {
        var e = Fails(json, maxRows: 2);
        Assert.That((e.Status, e.Title), Is.EqualTo((413, "Too many rows")));
    }

    [Test]
    public void ParserReuse_SecondFrameDoesNotSeeTheFirst()
    {
        var parser = new FrameParser();
        parser.Parse(new(Encoding.UTF8.GetBytes("""{"a": {"x": 1, "y": 2}, "b": {"x": 1}, "cat": {"x": "x"}, "code": {"x": 1}}""")), Schema, Limits(10));
        parser.Parse(new(Encoding.UTF8.GetBytes("""{"a": {"y": 5}, "b": {"y": 6}, "cat": {"y": "y"}, "code": {"y": 7}}""")), Schema, Limits(10));
        Assert.That(parser.Values.ToArray(), Is.EqualTo(new double[] { 5, 6, 1, 7 }));
    }

    [Test]
    public void ByteOrderMark_BeforeTheJson_IsSkippedAsPythonDoes()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""[{"a": 1, "b": 2, "cat": "y", "code": 3}]""")).ToArray();
        Assert.That(Parse(bytes, Limits(), segmentSize: 2), Is.EqualTo(new[] { new double[] { 1, 2, 1, 3 } }));
    }

    [Test]
    public void RowLabel_UpToTheLimit_IsAccepted_LongerIsRefusedNamingTheLimit()
    {
        string Frame(string label) => $$$"""{"a": {"{{{label}}}": 1}, "b": {"{{{label}}}": 2}, "cat": {"{{{label}}}": "x"}, "code": {"{{{label}}}": 3}}""";
        var longest = new string('é', RowLabels.MaxLabelBytes / 2);
        Assert.That(Parse(Frame(longest)), Has.Length.EqualTo(1));
        var e = Fails(Frame(longest + "x"));
        Assert.That((e.Status, e.Title, e.Message), Is.EqualTo((400, "Row label too long", $"a row label is longer than the limit of {RowLabels.MaxLabelBytes} bytes (UTF-8)")));
    }

    [Test]
    public void RowLabel_EscapedBeyondAnyStoredLabel_IsRefusedWithoutDecodingIt()
    {
        var escaped = string.Concat(Enumerable.Repeat("\\u0061", RowLabels.MaxLabelBytes + 1));
        var e = Fails($$$"""{"a": {"{{{escaped}}}": 1}}""");
        Assert.That(e.Title, Is.EqualTo("Row label too long"));
    }

    [Test]
    public void Frame_OverMaxFrameBytes_Is413NamingTheLimit()
    {
        // 4 features and 1 output: 40 bytes a row, so 100 bytes hold 2 rows.
        var e = Assert.Throws<FrameException>(() => Parse(Encoding.UTF8.GetBytes("""[{}, {}, {}]"""), Limits(maxFrameBytes: 100)))!;
        Assert.That((e.Status, e.Title), Is.EqualTo((413, "Frame too large")));
        Assert.That(e.Message, Does.Contain("MAX_FRAME_BYTES").And.Contain("40 bytes per row"));
        Assert.That(Parse(Encoding.UTF8.GetBytes("""[{"a": 1, "b": 2, "cat": "x", "code": 3}, {"a": 1, "b": 2, "cat": "x", "code": 3}]"""), Limits(maxFrameBytes: 80)), Has.Length.EqualTo(2));
    }

    [Test]
    public void HugeText_InACell_IsQuotedCutInTheError()
    {
        var e = Fails($$"""[{"a": "{{new string('z', 1_000_000)}}", "b": 1, "cat": "x", "code": 1}]""");
        Assert.That(e.Message, Does.StartWith("column 'a', row 0: text \"zzz").And.Contain("[1000000 bytes in all]"));
        Assert.That(e.Message, Has.Length.LessThan(300));
    }

    [Test]
    public void InvalidLiteral_ManyKilobytesLong_IsQuotedCutInTheError()
    {
        var e = Fails("[{\"a\": tru" + new string('e', 5000) + "}]");
        Assert.That(e.Title, Is.EqualTo("Malformed JSON"));
        Assert.That(e.Message, Has.Length.LessThan(500), e.Message);
    }

    [Test]
    public void LongLabel_InAnError_IsQuotedCut_AndGivenWholeAsTheRow()
    {
        var label = new string('r', RowLabels.MaxLabelBytes);
        var e = Fails($$$"""{"a": {"{{{label}}}": "abc"}, "b": {"{{{label}}}": 1}, "cat": {"{{{label}}}": "x"}, "code": {"{{{label}}}": 1}}""");
        Assert.That(e.Row, Is.EqualTo(label));
        Assert.That(e.Message.Split(label), Has.Length.EqualTo(1), "the label is not repeated whole in the message");
    }

    [Test]
    public void Schema_WithAFeatureNamedTwice_IsRefused() =>
        Assert.That(() => new FrameSchema(["a", "b", "a"], [null, null, null], [false, false, false]),
            Throws.TypeOf<PurchasePredict.LightGbm.ModelFormatException>().With.Message.Contains("'a' appears twice (features 0 and 2)"));

    [TestCase(0)]
    [TestCase(5)]
    public void Csv_HeaderThenRows_AsPandasReadCsvReadsThem(int segmentSize)
    {
        const string csv = ",code,b,a,cat,extra\r\n0,1,2,3,x,\"p, \"\"q\"\"\nr\"\r\n\n1,4,,-5.5,z,s\n2,NA,True,1e3,,t\n3,7,8\n";
        Assert.That(ParseCsv(csv, segmentSize), Is.EqualTo(new[]
        {
            new double[] { 3, 2, 0, 1 },
            new double[] { -5.5, NaN, 2, 4 },
            new[] { 1000, 1, NaN, NaN },
            new[] { NaN, 8, NaN, 7 },
        }));
    }

    [Test]
    public void Csv_ByteOrderMarkAndQuotedHeader_AreRead()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("\"a\",b,cat,code\n1,2,y,3")).ToArray();
        Assert.That(Parse(bytes, Limits(), csv: true), Is.EqualTo(new[] { new double[] { 1, 2, 1, 3 } }));
    }

    [TestCase("", 400, "Empty frame", null, null)]
    [TestCase("a,b,cat,code\n", 400, "Empty frame", null, null)]
    [TestCase("a,b,cat\n1,2,x\n", 400, "Missing model feature", "code", null)]
    [TestCase("a,b,cat,code,a\n1,2,x,3,4\n", 400, "Duplicate column", "a", null)]
    [TestCase("a,b,cat,code\n1,2,x,3,4\n", 400, "Invalid row", null, "0")]
    [TestCase("a,b,cat,code\n1,2,w,3\n", 400, "Invalid value", "cat", "0")]
    [TestCase("a,b,cat,code\n1,2,x,3\n1e400,2,x,3\n", 400, "Invalid value", "a", "1")]
    [TestCase("a,b,cat,code\n1,2,\"x,3\n", 400, "Malformed CSV", null, null)]
    [TestCase("a,b,cat,code\n1,2,\"x\"y,3\n", 400, "Malformed CSV", null, null)]
    public void Csv_BadFrame_NamesTheProblem(string csv, int status, string title, string? column, string? row)
    {
        var e = Assert.Throws<FrameException>(() => ParseCsv(csv))!;
        Assert.That((e.Status, e.Title, e.Column, e.Row), Is.EqualTo((status, title, column, row)), e.Message);
    }

    [Test]
    public void Csv_NotUtf8_IsMalformed()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b,cat,code\n1,2,x,3\n");
        bytes[^3] = 0xFF;
        var e = Assert.Throws<FrameException>(() => Parse(bytes, Limits(), csv: true))!;
        Assert.That((e.Title, e.Message), Is.EqualTo(("Malformed CSV", "the body is not UTF-8 text")));
    }
}
