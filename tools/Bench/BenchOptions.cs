namespace Bench;

/// <summary>Command-line knobs. The defaults keep one run under 5 minutes on 2 cores; the sweeps take longer values.</summary>
public sealed record BenchOptions
{
    public IReadOnlyList<string> Strategies { get; init; } = ["etag", "lock", "actor"];

    /// <summary>Coalescing (group commit) settings to run each strategy with: "on", "off" or both.</summary>
    public IReadOnlyList<string> Coalesce { get; init; } = ["on", "off"];

    public int Clients { get; init; } = 64;
    public int HotCapacity { get; init; } = 500;
    public int HotAttempts { get; init; } = 1_000;
    public int SpreadSlots { get; init; } = 200;
    public int SpreadAttempts { get; init; } = 1_500;

    /// <summary>Active holds placed on a fresh hot slot before measuring it (the fill sweep); empty skips the sweep.</summary>
    public IReadOnlyList<int> Fill { get; init; } = [0, 1_000, 5_000];

    public int FillCapacity { get; init; } = 100_000;
    public int FillAttempts { get; init; } = 600;

    /// <summary>Open-loop arrival rates as fractions of the measured saturation; empty skips the open-loop runs.</summary>
    public IReadOnlyList<double> OpenLoop { get; init; } = [0.25, 0.5, 0.75, 0.9];

    public double OpenLoopSeconds { get; init; } = 3;

    /// <summary>Whether to run the hot slot on two reservation instances (etag and lock only; see TwoInstances).</summary>
    public bool TwoInstances { get; init; } = true;

    public string Output { get; init; } = "artifacts/bench";

    /// <summary>--saga: run the order saga load (<see cref="SagaLoad"/>) instead of the hold benchmark.</summary>
    public bool Saga { get; init; }
    public int Orders { get; init; } = 500;
    public double Declined { get; init; } = 0.3;

    public static BenchOptions Parse(string[] args)
    {
        // "none" empties a list: `--fill none` skips the fill sweep, `--open-loop none` the open-loop runs.
        static IReadOnlyList<string> List(string value) => value == "none" ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--strategies" => options with { Strategies = List(Next()) },
                "--coalesce" => options with { Coalesce = List(Next()) },
                "--clients" => options with { Clients = int.Parse(Next()) },
                "--hot-capacity" => options with { HotCapacity = int.Parse(Next()) },
                "--hot-attempts" => options with { HotAttempts = int.Parse(Next()) },
                "--spread-slots" => options with { SpreadSlots = int.Parse(Next()) },
                "--spread-attempts" => options with { SpreadAttempts = int.Parse(Next()) },
                "--fill" => options with { Fill = List(Next()).Select(int.Parse).ToList() },
                "--fill-capacity" => options with { FillCapacity = int.Parse(Next()) },
                "--fill-attempts" => options with { FillAttempts = int.Parse(Next()) },
                "--open-loop" => options with { OpenLoop = List(Next()).Select(double.Parse).ToList() },
                "--open-loop-seconds" => options with { OpenLoopSeconds = double.Parse(Next()) },
                "--two-instances" => options with { TwoInstances = bool.Parse(Next()) },
                "--out" => options with { Output = Next() },
                "--saga" => options with { Saga = true },
                "--orders" => options with { Orders = int.Parse(Next()) },
                "--declined" => options with { Declined = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }

        return options;
    }
}
