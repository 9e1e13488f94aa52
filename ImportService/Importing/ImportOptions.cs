namespace Warehouse.ImportService.Importing;

public sealed class ImportOptions
{
    public const string SectionName = "Imports";

    /// <summary>Largest accepted upload; a larger one gets 413 and leaves nothing behind.</summary>
    public long MaxFileBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Where uploads wait for their background run; defaults to a folder under the system temp directory.</summary>
    public string? SpoolDirectory { get; set; }

    public string ResolvedSpoolDirectory => SpoolDirectory ?? Path.Combine(Path.GetTempPath(), "warehouse-imports");
}
