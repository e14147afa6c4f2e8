using Catalog.Domain;
using Microsoft.Extensions.Time.Testing;

namespace Catalog.Tests.Domain;

public sealed class SlotRulesTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private static readonly DateTimeOffset Tomorrow = Clock.GetUtcNow().AddDays(1);

    private static SlotSpec Valid() => new(Tomorrow, Tomorrow.AddHours(2), 50, 12.50m);

    [Fact]
    public void A_valid_slot_starts_at_version_one_in_utc()
    {
        var local = new DateTimeOffset(2030, 1, 2, 14, 0, 0, TimeSpan.FromHours(2));
        var outcome = Slot.Create(Guid.NewGuid(), Guid.NewGuid(), Valid() with { Start = local, End = local.AddHours(1) }, Clock.GetUtcNow());

        outcome.Errors.IsEmpty.Should().BeTrue();
        outcome.Value!.Version.Should().Be(1);
        outcome.Value.Start.Offset.Should().Be(TimeSpan.Zero);
        outcome.Value.Start.Should().Be(local);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100_001)]
    public void Capacity_outside_one_to_one_hundred_thousand_is_refused(int capacity) =>
        ErrorsOf(Valid() with { Capacity = capacity }).Should().ContainKey("capacity");

    [Theory]
    [InlineData(1)]
    [InlineData(100_000)]
    public void Capacity_at_the_bounds_is_accepted(int capacity) =>
        ErrorsOf(Valid() with { Capacity = capacity }).Should().BeEmpty();

    [Fact]
    public void End_equal_to_start_is_refused() =>
        ErrorsOf(Valid() with { End = Tomorrow }).Should().ContainKey("end");

    [Fact]
    public void End_before_start_is_refused() =>
        ErrorsOf(Valid() with { End = Tomorrow.AddMinutes(-1) }).Should().ContainKey("end");

    [Fact]
    public void A_slot_longer_than_a_month_is_refused() =>
        ErrorsOf(Valid() with { End = Tomorrow.AddDays(32) }).Should().ContainKey("end");

    [Fact]
    public void A_negative_price_is_refused() =>
        ErrorsOf(Valid() with { Price = -0.01m }).Should().ContainKey("price");

    [Fact]
    public void A_price_with_more_than_two_decimals_is_refused() =>
        ErrorsOf(Valid() with { Price = 1.005m }).Should().ContainKey("price");

    [Fact]
    public void A_free_slot_is_accepted() =>
        ErrorsOf(Valid() with { Price = 0m }).Should().BeEmpty();

    [Fact]
    public void A_new_slot_cannot_start_in_the_past() =>
        ErrorsOf(Valid() with { Start = Clock.GetUtcNow().AddMinutes(-1) }).Should().ContainKey("start");

    [Fact]
    public void Every_missing_field_is_named()
    {
        ErrorsOf(new SlotSpec(null, null, null, null)).Keys.Should().BeEquivalentTo("start", "end", "capacity", "price");
    }

    [Fact]
    public void An_update_advances_the_version_by_one_and_applies_the_fields()
    {
        var slot = Slot.Create(Guid.NewGuid(), Guid.NewGuid(), Valid(), Clock.GetUtcNow()).Value!;

        var errors = slot.Update(Valid() with { Capacity = 80, Price = 20m }, Clock.GetUtcNow());

        errors.IsEmpty.Should().BeTrue();
        slot.Version.Should().Be(2);
        slot.Capacity.Should().Be(80);
        slot.Price.Should().Be(20m);
    }

    [Fact]
    public void A_refused_update_leaves_the_slot_and_its_version_untouched()
    {
        var slot = Slot.Create(Guid.NewGuid(), Guid.NewGuid(), Valid(), Clock.GetUtcNow()).Value!;

        var errors = slot.Update(Valid() with { Capacity = 0 }, Clock.GetUtcNow());

        errors.ToDictionary().Should().ContainKey("capacity");
        slot.Version.Should().Be(1);
        slot.Capacity.Should().Be(50);
    }

    [Fact]
    public void A_started_slot_may_change_its_capacity_while_keeping_its_times()
    {
        var clock = new FakeTimeProvider(Clock.GetUtcNow());
        var slot = Slot.Create(Guid.NewGuid(), Guid.NewGuid(), Valid(), clock.GetUtcNow()).Value!;
        clock.Advance(TimeSpan.FromDays(1).Add(TimeSpan.FromMinutes(30)));

        slot.Update(Valid() with { Capacity = 10 }, clock.GetUtcNow()).IsEmpty.Should().BeTrue();
        slot.Update(Valid() with { Start = clock.GetUtcNow().AddMinutes(-5) }, clock.GetUtcNow()).ToDictionary()
            .Should().ContainKey("start", "moving a start into the past is refused");
    }

    private static IDictionary<string, string[]> ErrorsOf(SlotSpec spec) =>
        Slot.Create(Guid.NewGuid(), Guid.NewGuid(), spec, Clock.GetUtcNow()).Errors.ToDictionary();
}
