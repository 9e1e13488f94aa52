using Microsoft.Extensions.Configuration;

namespace AppHost.Services;

/// <summary>
/// <c>AppHost:Replicas:&lt;service&gt;</c>: how many copies of a service run (default 1). Copy <c>n</c> listens on the
/// seed port plus <c>10 × (n - 1)</c> (taskservice 8001, 8011, 8021...; realtimeworker 8004, 8014...), which keeps nine copies under the
/// management ports (8100).
/// </summary>
internal static class ReplicaCount
{
    public const string SectionName = "AppHost:Replicas";
    public const int Max = 9;
    public const int PortStride = 10;

    /// <summary>The configured count.</summary>
    public static int Of(IConfiguration configuration, string service)
    {
        var value = configuration[$"{SectionName}:{service}"];
        if (value is null)
        {
            return 1;
        }

        if (!int.TryParse(value, out var count) || count is < 1 or > Max)
        {
            throw new DistributedApplicationException($"{SectionName}:{service} is '{value}': a number of copies from 1 to {Max}.");
        }

        return count;
    }
}
