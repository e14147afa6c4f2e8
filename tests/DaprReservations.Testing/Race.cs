namespace DaprReservations.Testing;

/// <summary>Releases N workers at the same instant (a gate), the way real contention arrives.</summary>
public static class Race
{
    public static async Task<T[]> RunAsync<T>(int workers, Func<int, Task<T>> work)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, workers).Select(async index =>
        {
            await gate.Task;
            return await work(index);
        }).ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }
}
