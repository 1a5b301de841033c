namespace PurchasePredict.Api.Settings;

/// <summary>A setting is missing or invalid; the message names it, its value and what is expected.</summary>
public sealed class SettingsException(string message) : Exception(message);
