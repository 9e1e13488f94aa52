using Warehouse.ProcessHost.Health;
using Warehouse.ProcessHost.Processes;

namespace Warehouse.ProcessHost.Components;

/// <summary>A Prometheus exporter: one binary, its flags and environment, ready when its HTTP page answers 200.</summary>
public sealed class ExporterComponent(
    string name,
    ComponentContext context,
    string binary,
    Func<ComponentContext, IReadOnlyList<string>> arguments,
    Func<ComponentContext, IReadOnlyDictionary<string, string>>? environment = null,
    Func<ComponentContext, IEnumerable<string>>? requiredFiles = null,
    string healthPath = "/") : ProcessComponent(name, context)
{
    public override IReadOnlyList<string> RequiredBinaries => [binary];

    protected override IEnumerable<string> RequiredFiles => requiredFiles?.Invoke(Context) ?? [];

    protected override ProcessLaunch CreateLaunch() =>
        new(Binary(binary), arguments(Context))
        {
            Environment = environment?.Invoke(Context) ?? new Dictionary<string, string>(),
            WorkingDirectory = Context.Paths.DataDir,
        };

    protected override Task<bool> ProbeAsync(CancellationToken cancellationToken) =>
        Probes.HttpOkAsync(Url + healthPath, null, cancellationToken);
}
