using LocalSidecar.Configuration;
using LocalSidecar.Hosting;
using LocalSidecar.Invocation;

namespace LocalSidecar.Tests;

public sealed class PathTests
{
    [Theory]
    [InlineData("//v1.0/actors/T/1/method/m", "/v1.0/actors/T/1/method/m")]
    [InlineData("/v1.0//state///s", "/v1.0/state/s")]
    [InlineData("/plain", "/plain")]
    public void Double_slashes_collapse_before_routing(string input, string expected) =>
        SidecarInstance.CollapseSlashes(input).Should().Be(expected);

    [Theory]
    [InlineData("/orders/1", "orders/1")]
    [InlineData("a/./b/../c", "a/c")]
    [InlineData("", "")]
    [InlineData("/events/order.cancelled", "events/order.cancelled")]
    public void Invocation_methods_are_cleaned_like_go_path_clean(string input, string expected) =>
        InvocationTarget.CleanMethod(input).Should().Be(expected);

    // Go's path.Clean (the cases of its documentation).
    [Theory]
    [InlineData("", ".")]
    [InlineData("/", "/")]
    [InlineData("a/c", "a/c")]
    [InlineData("a//c", "a/c")]
    [InlineData("a/c/.", "a/c")]
    [InlineData("a/c/b/..", "a/c")]
    [InlineData("/../a/c", "/a/c")]
    [InlineData("/../a/b/../././/c", "/a/c")]
    [InlineData("../../a", "../../a")]
    [InlineData("a/../..", "..")]
    public void Clean_path_matches_go(string input, string expected) => GoText.CleanPath(input).Should().Be(expected);

    // dapr/dapr pkg/messaging/method/normalize_test.go (v1.16).
    [Theory]
    [InlineData("test%stream", "test%stream")]
    [InlineData("test\"stream", "test\"stream")]
    [InlineData("test*stream", "test*stream")]
    [InlineData("test\\stream", "test\\stream")]
    [InlineData("admin/../public", "public")]
    [InlineData("../../etc/passwd", "etc/passwd")]
    [InlineData("mymethod", "mymethod")]
    [InlineData("api/v1/users", "api/v1/users")]
    [InlineData("..", "")]
    public void Methods_are_normalized_as_daprd_does(string method, string expected)
    {
        InvocationTarget.TryNormalizeMethod(method, out var normalized, out _).Should().BeTrue();
        normalized.Should().Be(expected);
    }

    [Theory]
    [InlineData("test#stream", "method contains forbidden character: \"test#stream\"")]
    [InlineData("test?stream", "method contains forbidden character: \"test?stream\"")]
    [InlineData("test\0stream", "method contains forbidden character: \"test\\x00stream\"")]
    [InlineData("test\u0001stream", "method contains control character at position 4: \"test\\x01stream\"")]
    [InlineData("test\tstream", "method contains control character at position 4: \"test\\tstream\"")]
    [InlineData("test\nstream", "method contains control character at position 4: \"test\\nstream\"")]
    public void Methods_with_forbidden_or_control_characters_are_refused_with_daprds_text(string method, string error)
    {
        InvocationTarget.TryNormalizeMethod(method, out _, out var message).Should().BeFalse();
        message.Should().Be(error);
    }

    [Theory]
    [InlineData("get", "GET")]
    [InlineData("PATCH", "PATCH")]
    [InlineData("PROPFIND", "POST")]
    public void A_verb_daprd_does_not_know_travels_as_post(string verb, string expected) =>
        InvocationForwarder.DaprVerb(verb).Should().Be(expected);

    // Go's os.ExpandEnv, which daprd applies to a Configuration file before parsing it.
    [Theory]
    [InlineData("td: $TD", "td: public")]
    [InlineData("td: ${TD}-x", "td: public-x")]
    [InlineData("none: $MISSING.", "none: .")]
    [InlineData("cost: 5$", "cost: 5$")]
    [InlineData("bad: ${}x", "bad: x")]
    [InlineData("dollar: $ sign", "dollar: $ sign")]
    public void Environment_variables_expand_as_go_expands_them(string text, string expected) =>
        GoText.ExpandEnv(text, name => name == "TD" ? "public" : null).Should().Be(expected);
}
