using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Warehouse.Testing;

namespace Warehouse.EndToEnd.Tests;

/// <summary>
/// The platform with two copies of every service (<c>AppHost:Replicas</c>), started once for the
/// replica scenarios. Unlike <see cref="PlatformFixture"/>, the gateways keep the documented per-user limit (README,
/// "Rate limits"): a scenario proves it holds across both gateways, and every other load stays under it per user. And
/// each copy binds its own port with no orchestrator proxy in front, as when people run the AppHost (fixed seed
/// ports): under the test host a proxy would hold new connections to a killed copy until it is back, and hide the
/// refused connections the gateways meet.
/// </summary>
public sealed class ReplicaPlatformFixture() : PlatformFixture([.. Replicated.Select(service => $"--AppHost:Replicas:{service}={Copies}")], Unproxied)
{
    public const int Copies = 2;

    public static readonly string[] Replicated = ["taskservice", "importservice", "realtimeworker", "apigateway"];

    /// <summary>The documented per-user limit at the gateway: sustained requests a second, and the burst above it.</summary>
    public const int PermitsPerSecond = 50;

    public const int Burst = 100;

    private static void Unproxied(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var endpoint in Replicated.SelectMany(service => CopiesOf(builder, service)).SelectMany(copy => copy.Annotations.OfType<EndpointAnnotation>()))
        {
            var port = FreePorts.Next();
            (endpoint.Port, endpoint.TargetPort, endpoint.IsProxied) = (port, port, false);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ReplicaPlatformCollection : ICollectionFixture<ReplicaPlatformFixture>
{
    public const string Name = "replicas";
}
