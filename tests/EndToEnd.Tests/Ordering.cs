using Xunit.Abstractions;
using Xunit.Sdk;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// The scenarios share one running platform (starting it costs ~20 s) and some need the events of earlier ones
/// (every dashboard panel needs the errors the alert scenario induced), so they run in the order they declare.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OrderAttribute(int order) : Attribute
{
    public int Order { get; } = order;
}

public sealed class DeclaredOrderer : ITestCaseOrderer
{
    public const string TypeName = "Warehouse.EndToEnd.Tests.DeclaredOrderer";
    public const string AssemblyName = "EndToEnd.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.GetCustomAttributes(typeof(OrderAttribute).AssemblyQualifiedName!)
            .Select(a => a.GetNamedArgument<int>(nameof(OrderAttribute.Order))).DefaultIfEmpty(int.MaxValue).First());
}
