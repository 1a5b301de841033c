namespace PurchasePredict.Workers.Tests.Infrastructure;

/// <summary>New connections spread over the slots' sockets, so one of a few lands on a given serving worker.</summary>
internal static class WorkerAnswersOnNewConnections
{
    public static async Task<bool> Within(HostProcess host, int pid)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var connection = await RawHttpConnection.OpenAsync(host.Port, CancellationToken.None);
            if ((await connection.GetAsync("/pid", close: true, CancellationToken.None)).Body == pid.ToString())
                return true;
        }
        return false;
    }
}
