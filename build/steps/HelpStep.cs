#nullable enable
using System.Linq;

// ./build.sh --help (build.sh turns it into --target=Help): this pipeline's targets, one line each,
// and its settings with their argument and variable names. Cake's own help knows none of them.
public static class HelpStep
{
    public static void Print(IEnumerable<(string Name, string Description)> targets, Action<string> log)
    {
        log("Usage: ./build.sh [--target=<target>] [--env=<environment>] [--<setting>=<value> ...] [--dryrun]");
        log("");
        log("Targets (default Push; ./build.sh --tree shows how they depend on each other):");
        foreach (var (name, description) in targets.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            log($"  {name,-16} {description}");
        }
        log("");
        log("Settings: ops/environments/<env>.json (--env / PP_ENV, default sandbox); an argument beats a variable beats the file:");
        foreach (var setting in SettingCatalog.All)
        {
            log($"  {setting.Key,-30} --{setting.Argument,-30} {setting.Variable,-32} {setting.Meaning}");
        }
        log("");
        log($"Cake's own switches: {string.Join(", ", SettingCatalog.CakeSwitches.Where(s => s != "help").Select(s => "--" + s))}.");
        log("PURCHASE_PREDICT_CACHE moves the sandbox's state (default ~/.cache/purchase-predict/sandbox). More: docs/pipeline.md, docs/deploy.md.");
    }
}
