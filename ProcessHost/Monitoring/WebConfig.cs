namespace Warehouse.ProcessHost.Monitoring;

/// <summary>The exporter-toolkit <c>--web.config.file</c> shared by Prometheus and Alertmanager: basic auth only.</summary>
public static class WebConfig
{
    public static void Write(string path, string user, string bcryptHash)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"basic_auth_users:\n  {user}: '{bcryptHash}'\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
