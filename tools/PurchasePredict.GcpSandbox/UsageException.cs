namespace PurchasePredict.GcpSandbox;

/// <summary>A command line or an input file is wrong; the message says which and how, and holds no secret.</summary>
public sealed class UsageException(string message) : Exception(message);
