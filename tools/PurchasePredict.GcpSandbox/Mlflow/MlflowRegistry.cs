using System.Text.Json;

namespace PurchasePredict.GcpSandbox.Mlflow;

/// <summary>A request MLflow refuses, with its error code (RESOURCE_DOES_NOT_EXIST answers 404, the others 400).</summary>
public sealed class MlflowException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
}

/// <summary>
/// The model registry's state: registered models, their versions (numbered from 1, with a stage) and
/// aliases. Kept in <c>STATE/mlflow/registry.json</c>, rewritten (temporary file, then rename) after each
/// change, so a restarted server has the same registry. One lock orders changes.
/// </summary>
public sealed class MlflowRegistry
{
    /// <summary>MLflow's stages, in its spelling.</summary>
    public static readonly IReadOnlyList<string> Stages = ["None", "Staging", "Production", "Archived"];

    private readonly string _file;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private readonly RegistryState _state;

    public MlflowRegistry(string stateDirectory, TimeProvider clock)
    {
        _file = Path.Combine(stateDirectory, "mlflow", "registry.json");
        _clock = clock;
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        _state = File.Exists(_file)
            ? JsonSerializer.Deserialize(File.ReadAllText(_file), MlflowJson.Default.RegistryState) ?? new RegistryState()
            : new RegistryState();
    }

    public RegisteredModel CreateModel(string name) => Change(() =>
    {
        if (_state.Models.ContainsKey(name)) throw new MlflowException("RESOURCE_ALREADY_EXISTS", $"Registered Model (name={name}) already exists.");
        var now = Now();
        _state.Models[name] = new StoredModel { Name = name, Created = now, Updated = now };
        return View(_state.Models[name]);
    });

    /// <summary>A new version (the next number) of a registered model, READY at once, in stage None.</summary>
    public ModelVersion CreateVersion(string name, string source, string? runId) => Change(() =>
    {
        var model = Model(name);
        var now = Now();
        var version = new StoredVersion { Number = model.Versions.Count + 1, Source = source, RunId = runId, Stage = "None", Created = now, Updated = now };
        model.Versions.Add(version);
        model.Updated = now;
        return View(model, version);
    });

    /// <summary>Points the alias at the version, moving it if it pointed elsewhere.</summary>
    public void SetAlias(string name, string alias, string version) => Change(() =>
    {
        var model = Model(name);
        model.Aliases[alias] = Version(model, version).Number;
        return 0;
    });

    public ModelVersion TransitionStage(string name, string version, string stage, bool archiveExisting) => Change(() =>
    {
        var canonical = Stages.FirstOrDefault(s => s.Equals(stage, StringComparison.OrdinalIgnoreCase))
            ?? throw new MlflowException("INVALID_PARAMETER_VALUE", $"Invalid Model Version stage: {stage}. Value must be one of {string.Join(", ", Stages)}.");
        var model = Model(name);
        var target = Version(model, version);
        if (archiveExisting && canonical is "Staging" or "Production")
            foreach (var other in model.Versions.Where(v => v != target && v.Stage == canonical)) other.Stage = "Archived";
        target.Stage = canonical;
        target.Updated = Now();
        return View(model, target);
    });

    public ModelVersion ByAlias(string name, string alias) => Read(() =>
    {
        var model = Model(name);
        return model.Aliases.TryGetValue(alias, out var number)
            ? View(model, model.Versions[number - 1])
            : throw new MlflowException("RESOURCE_DOES_NOT_EXIST", $"Registered model alias {alias} not found.");
    });

    public ModelVersion Get(string name, string version) => Read(() => View(Model(name), Version(Model(name), version)));

    /// <summary>The newest version of each stage asked for (of every stage when none is).</summary>
    public IReadOnlyList<ModelVersion> Latest(string name, IReadOnlyList<string> stages) => Read(() =>
    {
        var model = Model(name);
        return model.Versions
            .Where(v => stages.Count == 0 || stages.Contains(v.Stage, StringComparer.OrdinalIgnoreCase))
            .GroupBy(v => v.Stage).Select(g => View(model, g.MaxBy(v => v.Number)!)).ToList();
    });

    private StoredModel Model(string name) =>
        _state.Models.GetValueOrDefault(name) ?? throw new MlflowException("RESOURCE_DOES_NOT_EXIST", $"Registered Model with name={name} not found");

    private static StoredVersion Version(StoredModel model, string version) =>
        int.TryParse(version, out var number) && number >= 1 && number <= model.Versions.Count
            ? model.Versions[number - 1]
            : throw new MlflowException("RESOURCE_DOES_NOT_EXIST", $"Model Version (name={model.Name}, version={version}) not found");

    private RegisteredModel View(StoredModel model) => new(model.Name, model.Created, model.Updated,
        model.Versions.GroupBy(v => v.Stage).Select(g => View(model, g.MaxBy(v => v.Number)!)).ToList(),
        model.Aliases.Select(a => new ModelAlias(a.Key, a.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList());

    private static ModelVersion View(StoredModel model, StoredVersion version) => new(
        model.Name, version.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), version.Created, version.Updated, version.Stage,
        version.Source, version.RunId, "READY", model.Aliases.Where(a => a.Value == version.Number).Select(a => a.Key).ToList());

    private long Now() => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private T Read<T>(Func<T> read)
    {
        lock (_lock) return read();
    }

    private T Change<T>(Func<T> change)
    {
        lock (_lock)
        {
            var result = change();
            var temporary = _file + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(_state, MlflowJson.Default.RegistryState));
            File.Move(temporary, _file, overwrite: true);
            return result;
        }
    }
}

/// <summary>What registry.json holds.</summary>
public sealed class RegistryState
{
    public Dictionary<string, StoredModel> Models { get; init; } = [];
}

public sealed class StoredModel
{
    public required string Name { get; init; }
    public long Created { get; init; }
    public long Updated { get; set; }
    public List<StoredVersion> Versions { get; init; } = [];
    public Dictionary<string, int> Aliases { get; init; } = [];
}

public sealed class StoredVersion
{
    public int Number { get; init; }
    public required string Source { get; init; }
    public string? RunId { get; init; }
    public required string Stage { get; set; }
    public long Created { get; init; }
    public long Updated { get; set; }
}
