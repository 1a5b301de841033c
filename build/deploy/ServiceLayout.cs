#nullable enable
// Where the service lives on a VM, and the files of a release staged there. The scripts of build/remote/
// get these paths as arguments; install-release.sh and history-list.sh read the staged file names.
public static class ServiceLayout
{
    public const string UnitName = "purchase_predict_api.service";
    public const string ContainerName = "purchase_predict_api";

    // A second container of the new release that serves on the shared port while the unit restarts.
    public const string HandoverContainer = ContainerName + "_handover";
    public const string UnitFile = "/etc/systemd/system/" + UnitName;
    public const string EnvFile = "/etc/default/purchase_predict_api";
    public const string StateDirectory = "/var/lib/purchase_predict_api";
    public const string LockDirectory = StateDirectory + "/deploy.lock";

    // The last releases that passed their checks, newest last (root-only: the env files hold secrets).
    public const string HistoryDirectory = StateDirectory + "/history";

    // The unit and env file an install replaced, for restore-release.sh.
    public const string PreviousDirectory = StateDirectory + "/previous";

    // The /predict body the health check posts.
    public const string RequestFile = StateDirectory + "/request.json";

    // A staged release's files.
    public const string StagedUnit = "purchase_predict_api.service";
    public const string StagedEnv = "purchase_predict_api.env";
    public const string StagedImage = "image";
    public const string StagedCommit = "commit";
    public const string StagedRequest = "request.json";
}
