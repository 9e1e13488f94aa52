using Microsoft.Extensions.Options;
using Warehouse.ImportService.Importing;
using Warehouse.ImportService.Infrastructure;

namespace Warehouse.ImportService.Apis;

public sealed class ImportServices(ImportJobStore store, ImportWakeUp wakeUp, ImportMetrics metrics, IOptions<ImportOptions> options)
{
    public ImportJobStore Store { get; } = store;

    public ImportWakeUp WakeUp { get; } = wakeUp;

    public ImportMetrics Metrics { get; } = metrics;

    public ImportOptions Options { get; } = options.Value;
}
