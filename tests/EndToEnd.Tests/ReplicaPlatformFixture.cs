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
/// refused connections the gateways meet. Their ports come from a <see cref="PortBlock"/>: a port picked free in the
/// kernel's ephemeral range was taken by an outgoing connection before a copy bound it ("Address already in use"), after
/// the main collection had run for 40 minutes.
/// </summary>
public sealed class ReplicaPlatformFixture : PlatformFixture
{
    public const int Copies = 2;

    private readonly PortBlock _ports;

    public ReplicaPlatformFixture()
        : this(PortBlock.Claim())
    {
    }

    private ReplicaPlatformFixture(PortBlock ports)
        : base([.. Replicated.Select(service => $"--AppHost:Replicas:{service}={Copies}")], builder => Unproxied(builder, ports))
    {
        _ports = ports;
    }

    public static readonly string[] Replicated = ["taskservice", "importservice", "realtimeworker", "apigateway"];

    /// <summary>The documented per-user limit at the gateway: sustained requests a second, and the burst above it.</summary>
    public const int PermitsPerSecond = 50;

    public const int Burst = 100;

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            _ports.Dispose();
        }
    }

    /// <summary>The same port for each endpoint at every start (the restart scenario starts the platform again).</summary>
    private static void Unproxied(IDistributedApplicationTestingBuilder builder, PortBlock ports)
    {
        var endpoints = Replicated.SelectMany(service => CopiesOf(builder, service)).SelectMany(copy => copy.Annotations.OfType<EndpointAnnotation>());
        foreach (var (endpoint, index) in endpoints.Select((endpoint, index) => (endpoint, index)))
        {
            var port = ports[index];
            (endpoint.Port, endpoint.TargetPort, endpoint.IsProxied) = (port, port, false);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ReplicaPlatformCollection : ICollectionFixture<ReplicaPlatformFixture>
{
    public const string Name = "replicas";
}
