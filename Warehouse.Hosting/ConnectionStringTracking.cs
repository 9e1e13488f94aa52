using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Warehouse.Hosting;

public static class ConnectionStringTracking
{
    /// <summary>
    /// The resource's connection string once the orchestrator has allocated its endpoint (as Aspire's own Postgres and
    /// Redis integrations capture it for their health checks); asking earlier throws.
    /// </summary>
    public static Func<string> TrackConnectionString(this IDistributedApplicationBuilder builder, IResourceWithConnectionString resource)
    {
        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(resource, async (_, cancellationToken) =>
            connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken));
        return () => connectionString ?? throw new InvalidOperationException($"{resource.Name}: no connection string yet");
    }
}
