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
    public void Invocation_methods_are_cleaned_like_go_path_clean(string input, string expected) =>
        InvocationTarget.CleanMethod(input).Should().Be(expected);
}
