using Microsoft.Extensions.Options;
using Warehouse.ImportService.Importing;
using Warehouse.ImportService.Infrastructure;

namespace Warehouse.ImportService.Apis;

public sealed class ImportServices(ImportJobStore store, ImportQueue queue, UploadSpool spool, ImportMetrics metrics, IOptions<ImportOptions> options)
{
    public ImportJobStore Store { get; } = store;

    public ImportQueue Queue { get; } = queue;

    public UploadSpool Spool { get; } = spool;

    public ImportMetrics Metrics { get; } = metrics;

    public ImportOptions Options { get; } = options.Value;
}
