namespace Bench;

/// <summary>Command-line knobs; defaults are the brief's scenarios (64 clients; 1 hot slot; 1,000 slots spread).</summary>
public sealed record BenchOptions
{
    public IReadOnlyList<string> Strategies { get; init; } = ["etag", "lock", "actor", "unsafe"];
    public int Clients { get; init; } = 64;
    public int HotCapacity { get; init; } = 1_000;
    public int HotAttempts { get; init; } = 2_000;
    public int SpreadSlots { get; init; } = 1_000;
    public int SpreadAttempts { get; init; } = 4_000;
    public string Output { get; init; } = "artifacts/bench";

    /// <summary>--saga: run the order saga load (<see cref="SagaLoad"/>) instead of the hold benchmark.</summary>
    public bool Saga { get; init; }
    public int Orders { get; init; } = 500;
    public double Declined { get; init; } = 0.3;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--strategies" => options with { Strategies = Next().Split(',', StringSplitOptions.RemoveEmptyEntries) },
                "--clients" => options with { Clients = int.Parse(Next()) },
                "--hot-capacity" => options with { HotCapacity = int.Parse(Next()) },
                "--hot-attempts" => options with { HotAttempts = int.Parse(Next()) },
                "--spread-slots" => options with { SpreadSlots = int.Parse(Next()) },
                "--spread-attempts" => options with { SpreadAttempts = int.Parse(Next()) },
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
