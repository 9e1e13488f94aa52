namespace Warehouse.ProcessHost.Monitoring;

internal static class Links
{
    /// <summary>Makes <paramref name="path"/> a symlink to <paramref name="target"/> (or an empty dir when null).</summary>
    public static void Replace(string path, string? target)
    {
        var link = new FileInfo(path);
        if (link.LinkTarget is not null)
        {
            link.Delete();
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        if (target is not null)
        {
            Directory.CreateSymbolicLink(path, target);
        }
        else
        {
            Directory.CreateDirectory(path);
        }
    }
}
