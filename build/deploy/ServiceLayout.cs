#nullable enable
// Where the service lives on a VM, and the files of a release staged there. The scripts of build/remote/
// get these paths as arguments; install-release.sh, history-record.sh and same-release.sh read the
// staged file names.
public static class ServiceLayout
{
    public const string UnitName = "purchase_predict_api.service";
    public const string ContainerName = "purchase_predict_api";

    // A release proving itself beside the running service, on a port of its own, before anything is stopped.
    public const string CandidateContainer = ContainerName + "_candidate";

    // Where the candidate's port is picked: below Linux's ephemeral range (32768-60999), where the VM's own
    // outgoing connections take theirs.
    public const int CandidateFirstPort = 20000;
    public const int CandidateLastPort = 31999;

    // A second container of the new release that serves on the shared port while the unit restarts.
    public const string HandoverContainer = ContainerName + "_handover";
    public const string UnitFile = "/etc/systemd/system/" + UnitName;

    // The app's environment, read by `docker run --env-file` only: never the unit's EnvironmentFile=.
    public const string EnvFile = "/etc/default/purchase_predict_api";
    public const string StateDirectory = "/var/lib/purchase_predict_api";

    // Held by whoever changes this VM.
    public const string LockDirectory = StateDirectory + "/deploy.lock";

    // On an environment's first VM: held by a Deploy or Rollback for its whole rollout, so one runs at a time.
    public const string RolloutLockDirectory = StateDirectory + "/rollout.lock";

    // The last releases that passed their checks, newest last (root-only: the env files hold secrets).
    public const string HistoryDirectory = StateDirectory + "/history";

    // The /predict body the health check posts.
    public const string RequestFile = StateDirectory + "/request.json";

    // Staging directories: mktemp -d with this prefix.
    public const string StagePrefix = "/tmp/purchase_predict_api.";

    // A staged release's files.
    public const string StagedUnit = "purchase_predict_api.service";
    public const string StagedEnv = "purchase_predict_api.env";
    public const string StagedImage = "image";
    public const string StagedCommit = "commit";
    public const string StagedRequest = "request.json";
}
