using System.Text.Json;

namespace PurchasePredict.Workers.Tests.Infrastructure;

/// <summary>Typed access to the master's log lines (Microsoft's JSON console shape, fields under "State").</summary>
internal static class EventFields
{
    public static string? Name(this JsonElement e) =>
        e.TryGetProperty("State", out var state) && state.TryGetProperty("Event", out var name) ? name.GetString() : null;

    public static int Pid(this JsonElement e) => e.Int("Pid");

    public static int Int(this JsonElement e, string name) => e.GetProperty("State").GetProperty(name).GetInt32();

    public static string? String(this JsonElement e, string name) => e.GetProperty("State").GetProperty(name).GetString();

    public static int? NullableInt(this JsonElement e, string name) =>
        e.GetProperty("State").GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.Int(name);

    public static DateTimeOffset Time(this JsonElement e) => e.GetProperty("Timestamp").GetDateTimeOffset();
}
