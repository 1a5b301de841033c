#nullable enable
// A deploy step failed on a VM; the message says which VM and what to look at.
public class DeployException(string message, Exception? inner = null) : Exception(message, inner);

// ssh could not reach a VM (ssh exits 255 for that).
public sealed class HostUnreachableException(string message) : DeployException(message);

// Another deploy holds a VM's lock.
public sealed class DeployLockedException(string message) : DeployException(message);

// The release failed its checks on a VM.
public sealed class HealthCheckFailedException(string message) : DeployException(message);
