using System.Text.Json;

namespace PurchasePredict.Workers.Tests.Infrastructure;

/// <summary>Typed access to the fields of the master's JSON events.</summary>
internal static class EventFields
{
    public static int Pid(this JsonElement e) => e.GetProperty("pid").GetInt32();

    public static int Int(this JsonElement e, string name) => e.GetProperty(name).GetInt32();

    public static int? NullableInt(this JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetInt32();

    public static DateTimeOffset Time(this JsonElement e) => e.GetProperty("time").GetDateTimeOffset();
}
