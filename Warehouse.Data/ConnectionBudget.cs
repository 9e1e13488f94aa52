namespace Warehouse.Data;

/// <summary>
/// Each service's share of Postgres' connections (its pool's Maximum Pool Size). Npgsql's default pool is 100 per
/// service, and after an outage every service reopens connections at once: two default pools can ask for 200 from a
/// server that takes 100, and recovery then fails with "53300 too many clients" (seen once in issue 26).
/// The arithmetic, for the server Warehouse.Hosting starts (it keeps Postgres' default max_connections = 100, of which
/// superuser_reserved_connections = 3 are kept for superusers):
///   task service      50   scans and task reads, the busy pool (the scan bench runs 16 connections)
///   import service    20   one COPY at a time, job bookkeeping and job reads
///   ---------------   --
///   services          70   of 97, leaving 27 for postgres_exporter (1), the host's health checks (1 per server and
///                          database) and an operator's psql or pg_dump.
/// A second copy of a service brings its pool again (two task services: 120 of 97): lower the pools or raise
/// max_connections before adding copies. The task service's tests check the sum against the running server.
/// </summary>
public static class ConnectionBudget
{
    public const int TaskService = 50;
    public const int ImportService = 20;

    public const int Services = TaskService + ImportService;

    /// <summary>Connections the services leave to everything else, within the server's non-reserved connections.</summary>
    public const int Headroom = 27;
}
