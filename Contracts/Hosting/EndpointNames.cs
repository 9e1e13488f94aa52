namespace Warehouse.Contracts.Hosting;

/// <summary>The names of a service's endpoints in the AppHost's model, which the tests and the bench look up.</summary>
public static class EndpointNames
{
    /// <summary>The public API (every service; the only public port of the gateway).</summary>
    public const string Http = "http";

    /// <summary>The gateway's internal port for <c>/health</c>, <c>/alive</c> and <c>/metrics</c>.</summary>
    public const string Management = "management";
}
