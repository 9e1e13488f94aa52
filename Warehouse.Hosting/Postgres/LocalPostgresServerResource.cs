using Aspire.Hosting.ApplicationModel;

namespace Warehouse.Hosting.Postgres;

/// <summary>
/// PostgreSQL from Debian's binaries, as an executable resource with a connection string, so a database on it is
/// referenced exactly like one on Aspire's container resource. Its cluster lives in <see cref="ClusterDirectory"/>.
/// </summary>
public sealed class LocalPostgresServerResource(string name, string command, string stateDirectory, ParameterResource password)
    : ExecutableResource(name, command, stateDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    public const string UserName = "postgres";

    private readonly Dictionary<string, string> _databases = new(StringComparer.OrdinalIgnoreCase);

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public ParameterResource PasswordParameter { get; } = password;

    public string ClusterDirectory => Path.Combine(WorkingDirectory, "data");

    /// <summary>Resource name → database name of every database added with <c>AddDatabase</c>.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");

    internal void AddDatabase(string resourceName, string databaseName) => _databases.TryAdd(resourceName, databaseName);
}
