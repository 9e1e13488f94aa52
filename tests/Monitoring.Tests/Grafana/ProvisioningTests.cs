using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Grafana;

/// <summary>Grafana provisioning and server settings: fixed datasource uid, folders, no secrets, no anonymous access.</summary>
public class ProvisioningTests
{
    private static readonly string Provisioning = Path.Combine(RepoPaths.GrafanaDir, "provisioning");

    private static Dictionary<object, object> Datasource =>
        (Dictionary<object, object>)Yaml.LoadMap(Path.Combine(Provisioning, "datasources", "prometheus.yml")).List("datasources").Single();

    public static string DatasourceUid => Datasource.Str("uid")!;

    [Fact]
    public void Prometheus_datasource_has_a_fixed_uid_and_takes_its_url_and_password_from_the_environment()
    {
        var ds = Datasource;
        Assert.Equal("prometheus", ds.Str("uid"));
        Assert.Equal("prometheus", ds.Str("type"));
        Assert.Equal("${PROMETHEUS_URL}", ds.Str("url"));
        Assert.Equal("true", ds.Str("basicAuth"), ignoreCase: true);
        Assert.Equal("${PROMETHEUS_PASSWORD}", ds.Map("secureJsonData").Str("basicAuthPassword"));
    }

    [Fact]
    public void Dashboards_provider_makes_one_folder_per_directory()
    {
        var provider = (Dictionary<object, object>)Yaml.LoadMap(Path.Combine(Provisioning, "dashboards", "dashboards.yml")).List("providers").Single();
        Assert.Equal("file", provider.Str("type"));
        Assert.Equal("true", provider.Map("options").Str("foldersFromFilesStructure"), ignoreCase: true);
        Assert.Null(provider.Str("folder")); // Grafana ignores folders from files when a folder is set
        Assert.True(Directory.GetDirectories(Dashboards.Root).Length >= 4);
        Assert.Empty(Directory.GetFiles(Dashboards.Root, "*.json")); // none outside a folder
    }

    [Fact]
    public void Grafana_has_no_anonymous_access_and_reads_the_admin_password_from_a_secret()
    {
        var ini = IniSections(File.ReadAllLines(Path.Combine(RepoPaths.GrafanaDir, "grafana.ini")));
        Assert.Equal("false", ini["auth.anonymous"]["enabled"]);
        Assert.Equal("false", ini["users"]["allow_sign_up"]);
        Assert.Matches(@"^\$__(env|file)\{[^}]+\}$", ini["security"]["admin_password"]);
    }

    private static Dictionary<string, Dictionary<string, string>> IniSections(IEnumerable<string> lines)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>();
        var current = new Dictionary<string, string>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith(';') || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                sections[line.Trim('[', ']')] = current = [];
                continue;
            }

            var eq = line.IndexOf('=');
            current[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }

        return sections;
    }
}
