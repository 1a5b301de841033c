#nullable enable
using System.Linq;

// A mistyped argument (--brnach, --secret-file) is an error, not silently ignored: it names the argument
// and the closest known one. Cake's own switches never reach here: Cake keeps them.
public static class ArgumentCheck
{
    // Arguments Cake itself hands to the script besides ours.
    private static readonly string[] CakeScriptArguments = ["target", "invalidate-script-cache"];

    public static void RejectUnknown(IEnumerable<string> given)
    {
        var known = SettingCatalog.All.Select(s => s.Argument).Append(SettingCatalog.EnvironmentArgument).Concat(CakeScriptArguments)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var name in given)
        {
            if (known.Contains(name) || SettingCatalog.IsCakeConfiguration(name))
            {
                continue;
            }
            var suggestion = ClosestMatch.Suggestion(name, known.Concat(SettingCatalog.CakeSwitches), "--");
            throw new SettingsException($"Unknown argument --{name}{suggestion}. ./build.sh --help lists the targets and settings.");
        }
    }
}
