using Microsoft.Extensions.Configuration;
using Warehouse.Hosting.Postgres;
using Warehouse.Hosting.Redis;

namespace Warehouse.DataHost;

// A named Program: the test projects that start this host also reference a service whose Program is global.
internal static class Program
{
    /// <summary>
    /// The data servers the platform's services need, from the same typed resources as the AppHost's local flavour,
    /// in a throwaway state directory and without durability (these clusters never outlive a test run). The tests give
    /// each server a port of their own (DataHost:PostgresPort, DataHost:RedisPort), which the server binds itself, so a
    /// server stopped for an outage gets its address back when it starts again.
    /// </summary>
    public static void Main(string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(args);
        var state = builder.Configuration["DataHost:DataDirectory"]
            ?? throw new InvalidOperationException("DataHost:DataDirectory is required (a temp dir of the test run).");

        builder.AddLocalPostgres("postgres", Path.Combine(state, "postgres"), builder.AddParameter("postgres-password", secret: true),
                port: builder.Configuration.GetValue<int?>("DataHost:PostgresPort"))
            .WithoutDurability()
            .AddDatabase("warehousedb");
        builder.AddLocalRedis("redis", Path.Combine(state, "redis"), builder.AddParameter("redis-password", secret: true),
            port: builder.Configuration.GetValue<int?>("DataHost:RedisPort"));

        builder.Build().Run();
    }
}
