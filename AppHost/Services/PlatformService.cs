using Warehouse.Contracts.Hosting;

namespace AppHost.Services;

/// <summary>
/// The copies of one platform service (<c>AppHost:Replicas:&lt;service&gt;</c>, default 1): one resource each, on its own
/// ports, so no proxy sits between a client and a copy (SignalR's negotiate and connection must reach the same copy)
/// and each copy is its own Prometheus <c>instance</c>. The first copy has the service's name; the others
/// <c>&lt;service&gt;-2</c>, <c>-3</c>. Wiring applies to every copy, so Program.cs reads as with one.
/// </summary>
internal sealed record PlatformService(string Name, IReadOnlyList<IResourceBuilder<ProjectResource>> Copies)
{
    /// <summary>Applies <paramref name="configure"/> to every copy.</summary>
    public PlatformService Each(Action<IResourceBuilder<ProjectResource>> configure)
    {
        foreach (var copy in Copies)
        {
            configure(copy);
        }

        return this;
    }

    public PlatformService WithReference(IResourceBuilder<IResourceWithConnectionString> source) =>
        Each(copy => copy.WithReference(source));

    public PlatformService WaitFor(IResourceBuilder<IResource> dependency) =>
        Each(copy => copy.WaitFor(dependency));

    /// <summary>
    /// Service discovery of every copy of <paramref name="backend"/> under its one name: <c>http://taskservice</c>
    /// resolves to each copy's endpoint (<c>services__taskservice__http__0</c>, <c>__1</c>...), and YARP's destination
    /// resolver makes each a destination of the service's cluster.
    /// </summary>
    public PlatformService WithReference(PlatformService backend) => Each(copy =>
    {
        copy.WithReference(backend.Copies[0]);
        for (var i = 1; i < backend.Copies.Count; i++)
        {
            copy.WithEnvironment($"services__{backend.Name}__{EndpointNames.Http}__{i}", backend.Copies[i].GetEndpoint(EndpointNames.Http))
                .WithRelationship(backend.Copies[i].Resource, "Reference");
        }
    });

    /// <summary>Starts after every copy of <paramref name="dependency"/> is healthy.</summary>
    public PlatformService WaitFor(PlatformService dependency) =>
        Each(copy => dependency.Each(other => copy.WaitFor(other)));
}
