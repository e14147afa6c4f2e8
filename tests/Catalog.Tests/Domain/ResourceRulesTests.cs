using Catalog.Domain;

namespace Catalog.Tests.Domain;

public sealed class ResourceRulesTests
{
    [Theory]
    [InlineData("room", ResourceKind.Room)]
    [InlineData("Table", ResourceKind.Table)]
    [InlineData("EVENT", ResourceKind.Event)]
    [InlineData("product", ResourceKind.Product)]
    public void Every_kind_is_accepted_whatever_its_case(string kind, ResourceKind expected) =>
        Resource.Create(Guid.NewGuid(), new ResourceSpec(kind, "Hall A", null)).Value!.Kind.Should().Be(expected);

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("Room,Table")]
    [InlineData("car")]
    public void Anything_but_a_kind_name_is_refused(string kind) =>
        Resource.Create(Guid.NewGuid(), new ResourceSpec(kind, "Hall A", null)).Errors.ToDictionary().Should().ContainKey("kind");

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void A_name_is_required(string? name) =>
        Resource.Create(Guid.NewGuid(), new ResourceSpec("room", name, null)).Errors.ToDictionary().Should().ContainKey("name");

    [Fact]
    public void A_name_has_at_most_two_hundred_characters()
    {
        Resource.Create(Guid.NewGuid(), new ResourceSpec("room", new string('a', 200), null)).Errors.IsEmpty.Should().BeTrue();
        Resource.Create(Guid.NewGuid(), new ResourceSpec("room", new string('a', 201), null)).Errors.ToDictionary()
            .Should().ContainKey("name");
    }

    [Fact]
    public void A_description_over_two_thousand_characters_is_refused() =>
        Resource.Create(Guid.NewGuid(), new ResourceSpec("room", "Hall", new string('d', 2001))).Errors.ToDictionary()
            .Should().ContainKey("description");

    [Fact]
    public void Names_are_trimmed_and_blank_descriptions_dropped()
    {
        var resource = Resource.Create(Guid.NewGuid(), new ResourceSpec("room", "  Hall A ", "  ")).Value!;

        resource.Name.Should().Be("Hall A");
        resource.Description.Should().BeNull();
        resource.Version.Should().Be(1);
    }

    [Fact]
    public void An_update_advances_the_version_and_a_refused_one_does_not()
    {
        var resource = Resource.Create(Guid.NewGuid(), new ResourceSpec("room", "Hall A", null)).Value!;

        resource.Update(new ResourceSpec("event", "Concert", "Saturday")).IsEmpty.Should().BeTrue();
        resource.Update(new ResourceSpec("event", "", null)).IsEmpty.Should().BeFalse();

        resource.Version.Should().Be(2);
        resource.Name.Should().Be("Concert");
        resource.Kind.Should().Be(ResourceKind.Event);
    }
}
