using Xunit.Abstractions;
using Xunit.Sdk;

namespace Web.BrowserTests;

/// <summary>The scenario's place in the user's journey; scenarios of a class run in this order.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ScenarioAttribute(int order) : Attribute
{
    public int Order { get; } = order;
}

public sealed class ScenarioOrderer : ITestCaseOrderer
{
    public const string Name = "Web.BrowserTests.ScenarioOrderer";
    public const string Assembly = "Web.BrowserTests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(test => test.TestMethod.Method
            .GetCustomAttributes(typeof(ScenarioAttribute).AssemblyQualifiedName)
            .Select(a => a.GetConstructorArguments().Cast<int>().First())
            .DefaultIfEmpty(int.MaxValue)
            .First());
}
