namespace Warehouse.MonitoringHost;

// A named Program: the test project that starts this host also references others whose Program is global.
internal static class Program
{
    /// <summary>
    /// Nothing of its own: a monitoring test adds the Prometheus, Alertmanager or exporter it needs from Warehouse.Hosting
    /// (the AppHost's local resources) before the host starts, with the test's config, secrets and targets.
    /// </summary>
    public static void Main(string[] args) => DistributedApplication.CreateBuilder(args).Build().Run();
}
