using Catalog.Api;

namespace Catalog.Tests.Domain;

public sealed class EntityTagsTests
{
    [Fact]
    public void An_absent_if_match_is_no_precondition()
    {
        EntityTags.ParseIfMatch(null).Should().BeNull();
        EntityTags.ParseIfMatch(" ").Should().BeNull();
    }

    [Theory]
    [InlineData("\"3\"", 3, true)]
    [InlineData("\"2\", \"3\"", 3, true)]
    [InlineData("\"2\"", 3, false)]
    [InlineData("W/\"3\"", 3, false)]
    [InlineData("3", 3, false)]
    [InlineData("\"abc\"", 3, false)]
    [InlineData("*", 3, true)]
    public void Only_a_strong_tag_of_the_current_version_or_a_star_matches(string header, long current, bool matches) =>
        EntityTags.ParseIfMatch(header)!.Matches(current).Should().Be(matches);

    [Fact]
    public void The_etag_is_the_quoted_version() => EntityTags.Format(7).Should().Be("\"7\"");
}
