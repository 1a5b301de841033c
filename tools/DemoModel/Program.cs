using System.Globalization;
using DemoModel;
using PurchasePredict.NativeLightGbm;

// Writes models/demo/{model.txt,request.json,expected.json}. Deterministic: same inputs, same bytes.
// Usage: dotnet run --project tools/DemoModel [-- OUTPUT_DIR]   (default models/demo)
const int DataSeed = 20251125;
const int SampleSeed = 7;
const int TrainingRows = 20000;
const int Iterations = 100;
const string Parameters = "objective=binary num_leaves=31 learning_rate=0.08 min_data_in_leaf=40 " +
    "min_data_per_group=50 cat_smooth=10 categorical_feature=1,5,6 seed=42 deterministic=true force_row_wise=true";

var outputDirectory = args.Length > 0 ? args[0] : Path.Combine("models", "demo");
Directory.CreateDirectory(outputDirectory);

var sessions = new SessionGenerator(DataSeed).Generate(TrainingRows);
var categories = new PandasCategorical([
    sessions.Select(s => s.Brand), sessions.Select(s => s.Category), sessions.Select(s => s.SubCategory)]);
var matrix = sessions.SelectMany(s => FeatureRow(s, categories)).ToArray();
var labels = sessions.Select(s => s.Purchased ? 1f : 0f).ToArray();

var modelText = NativeTrainer.Train(matrix, TrainingRows, Session.FeatureNames.Length, labels, Parameters, Iterations,
    Session.FeatureNames) + categories.ModelFileSuffix();
File.WriteAllText(Path.Combine(outputDirectory, "model.txt"), modelText);

// The tutorial's client: requests.post(url, json=dataset.sample(n=10).to_json()).
var sampleRandom = new Random(SampleSeed);
var sampleIndex = Enumerable.Range(0, TrainingRows).OrderBy(_ => sampleRandom.Next()).Take(10).ToArray();
var sample = sampleIndex.Select(i => sessions[i]).ToArray();
var body = PythonJson.String(PandasJson.ColumnsOrient(sample, sampleIndex));
File.WriteAllText(Path.Combine(outputDirectory, "request.json"), body);

var probabilities = NativeBooster.Predict(modelText, sample.SelectMany(s => FeatureRow(s, categories)).ToArray(), sample.Length);
var expected = "{\"probabilities\":[" + string.Join(",", probabilities.Select(p => p.ToString("R", CultureInfo.InvariantCulture))) +
    "],\"predictions\":[" + string.Join(",", probabilities.Select(p => p > 0.5 ? 1 : 0)) + "]}\n";
File.WriteAllText(Path.Combine(outputDirectory, "expected.json"), expected);

var all = NativeBooster.Predict(modelText, matrix, TrainingRows);
var accuracy = all.Zip(labels).Count(pair => (pair.First > 0.5) == (pair.Second > 0.5)) / (double)TrainingRows;
Console.WriteLine($"wrote {outputDirectory}: {TrainingRows} rows, {labels.Average():P1} buyers, " +
    $"training accuracy {accuracy:P1}, {all.Count(p => p > 0.5)} predicted buyers; sample predictions {string.Join(",", probabilities.Select(p => p > 0.5 ? 1 : 0))}");

static double[] FeatureRow(Session s, PandasCategorical categories) =>
[
    s.ProductId, categories.Code(0, s.Brand), s.Price, s.NumViewsSession, s.NumViewsProduct,
    categories.Code(1, s.Category), categories.Code(2, s.SubCategory), s.Hour, s.Minute, s.Weekday, s.Duration,
    s.NumPrevSessions, s.NumPrevProductViews,
];
