namespace Warehouse.ProcessHost.Processes;

/// <summary>What to run: binary, arguments, environment, and whether to drop to the postgres user.</summary>
public sealed record ProcessLaunch(string FileName, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? WorkingDirectory { get; init; }

    /// <summary>Run as this local user (root only: via <c>setpriv</c>, which execs in place).</summary>
    public string? RunAsUser { get; init; }

    public override string ToString() => $"{FileName} {string.Join(' ', Arguments)}";
}
