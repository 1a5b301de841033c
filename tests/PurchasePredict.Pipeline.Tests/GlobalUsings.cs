global using NUnit.Framework;

// The pipeline, its sandbox and its remote scripts are Linux's (ssh, systemd, docker, POSIX sh).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
