namespace PurchasePredict.Workers;

/// <summary>An environment variable of the host has a bad value. The message names the variable and the value.</summary>
public sealed class SettingsException(string message) : Exception(message);
