using Xunit.Abstractions;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// The platform as it runs with two copies of every service (issue 22's proofs), through
/// the AppHost: one shared platform; each scenario makes the traffic and faults it needs, on its own warehouses and
/// users, and leaves every copy running, so any order works. Counts and states are asserted; counts are printed.
/// </summary>
[Collection(ReplicaPlatformCollection.Name)]
public sealed partial class ReplicaScenarios(ReplicaPlatformFixture platform, ITestOutputHelper output)
{
    private MonitoringConfig Config => new(platform.RepoRoot);
}
