using Catalog.Domain;

namespace Catalog.Tests.Domain;

public sealed class CacheTtlTests
{
    [Theory]
    [InlineData(0.0, 60)]
    [InlineData(0.5, 66)]
    [InlineData(0.999, 72)]
    public void The_ttl_is_the_base_plus_up_to_twenty_percent(double randomUnit, int expected) =>
        CacheTtl.Seconds(TimeSpan.FromSeconds(60), 0.2, randomUnit).Should().Be(expected);

    [Fact]
    public void Jittered_ttls_spread_over_the_whole_window()
    {
        var random = new Random(42);
        var ttls = Enumerable.Range(0, 1000).Select(_ => CacheTtl.Seconds(TimeSpan.FromSeconds(60), 0.2, random.NextDouble())).ToList();

        ttls.Should().OnlyContain(ttl => ttl >= 60 && ttl <= 72);
        ttls.Distinct().Count().Should().BeGreaterThan(10, "entries written together must not all expire together");
    }
}
