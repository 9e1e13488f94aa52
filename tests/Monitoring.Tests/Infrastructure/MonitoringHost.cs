using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Warehouse.Testing;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// The tests' MonitoringHost (tests/MonitoringHost) with the Warehouse.Hosting resources a test adds, started once every
/// one is healthy, as the AppHost's local flavour starts them; the monitoring password is its parameter.
/// </summary>
public static class MonitoringHost
{
    private const string PasswordParameter = "monitoring-password";

    /// <summary>Starts the host; <paramref name="auth"/> is the password of the resources that require one (none for an exporter).</summary>
    public static Task<LocalAppHost> StartAsync(BasicAuth? auth, Action<IDistributedApplicationTestingBuilder> configure) =>
        LocalAppHost.StartAsync(typeof(Projects.MonitoringHost), auth is null ? [] : [$"--Parameters:{PasswordParameter}={auth.Password}"], configure, TimeSpan.FromMinutes(1));

    /// <summary>The basic-auth password (<see cref="BasicAuth.Password"/>) the resources write their web.yml from.</summary>
    public static IResourceBuilder<ParameterResource> Password(IDistributedApplicationBuilder builder) =>
        builder.AddParameter(PasswordParameter, secret: true);
}
