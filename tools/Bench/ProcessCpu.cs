using System.Globalization;

namespace Bench;

/// <summary>
/// CPU seconds (user + system, from /proc/&lt;pid&gt;/stat) of this process and of the processes it started, grouped by
/// role. The local sidecars are not processes of their own: DaprSystem hosts every sidecar (the tester's and each
/// app's) inside this process, so "bench" is the load generator and all sidecars together and cannot be split.
/// </summary>
public static class ProcessCpu
{
    public const string Bench = "bench+sidecars";
    private const double TicksPerSecond = 100; // USER_HZ; `getconf CLK_TCK` is 100 on Linux x64

    public static readonly string[] Roles = [Bench, "reservation", "catalog", "baseline", "redis"];

    /// <summary>
    /// CPU the machine spent on processes that are not this run's (the machine may be shared): all busy time in
    /// /proc/stat minus the roles above. Reported so a figure measured beside other work says so.
    /// </summary>
    public const string Others = "others";

    public static Dictionary<string, double> Snapshot()
    {
        var cpu = Roles.Append(Others).ToDictionary(r => r, _ => 0.0, StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux())
            return cpu;
        var self = Environment.ProcessId;
        cpu[Bench] = Seconds(self) ?? 0;
        // Only our own children: other runs on the machine must not leak into the figures.
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == self)
                continue;
            var stat = Read(pid);
            if (stat is null || stat.Value.ParentId != self)
                continue;
            var role = RoleOf(pid);
            if (role is not null)
                cpu[role] += stat.Value.Seconds;
        }

        cpu[Others] = MachineBusySeconds() - Roles.Sum(r => cpu[r]);
        return cpu;
    }

    public static Dictionary<string, double> Delta(Dictionary<string, double> before, Dictionary<string, double> after) =>
        Roles.Append(Others).ToDictionary(r => r, r => after[r] - before[r], StringComparer.Ordinal);

    /// <summary>The first line of /proc/stat: user nice system idle iowait irq softirq steal …; busy = all but idle and iowait.</summary>
    private static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields.Sum() - fields[3] - fields[4]) / TicksPerSecond;
    }

    private static string? RoleOf(int pid)
    {
        string cmdline;
        try
        {
            cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return null;
        }

        return cmdline.Contains("Reservation.dll", StringComparison.Ordinal) ? "reservation"
            : cmdline.Contains("Catalog.dll", StringComparison.Ordinal) ? "catalog"
            : cmdline.Contains("Bench.Baseline.dll", StringComparison.Ordinal) ? "baseline"
            : cmdline.Contains("redis-server", StringComparison.Ordinal) ? "redis"
            : null;
    }

    private static double? Seconds(int pid) => Read(pid)?.Seconds;

    private static (int ParentId, double Seconds)? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // Field 2 (comm) may hold spaces and parentheses: parse after its closing ')'. Then state, ppid, ... utime is
        // field 14 and stime field 15 (1-based), i.e. indexes 11 and 12 after comm.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), (utime + stime) / TicksPerSecond);
    }
}
