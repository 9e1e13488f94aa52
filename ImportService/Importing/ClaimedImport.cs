using Warehouse.ImportService.Model;
using Warehouse.Security;

namespace Warehouse.ImportService.Importing;

/// <summary>A job this copy has claimed, with the uploader's warehouses: rows of any other warehouse are rejected.</summary>
public sealed record ClaimedImport(Guid JobId, bool SkipInvalidRows, WarehouseScope Scope, long SizeBytes)
{
    public static ClaimedImport For(ImportJob job) => new(job.Id, job.SkipInvalidRows, WarehouseScope.Only(job.Warehouses), job.SizeBytes);
}
