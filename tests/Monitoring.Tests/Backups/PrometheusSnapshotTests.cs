using Monitoring.Tests.Infrastructure;
using Warehouse.Testing;

namespace Monitoring.Tests.Backups;

/// <summary>scripts/backup-prometheus.sh and restore-prometheus.sh against a running Prometheus.</summary>
[Collection(MonitoringStackCollection.Name)]
public class PrometheusSnapshotTests(MonitoringStack stack)
{
    [Fact]
    public async Task Snapshot_backup_restores_into_a_new_Prometheus_with_the_same_samples()
    {
        var selector = $"up{{job=\"prometheus\",instance=\"{stack.Prometheus.Address}\"}}";
        var before = await stack.Prometheus.WaitForSeriesAsync(selector, TimeSpan.FromSeconds(45));
        var sampleTime = DateTimeOffset.FromUnixTimeMilliseconds((long)((double)before[0]!["value"]![0]! * 1000));
        using var backups = new TempDir("backups");

        var backup = await Tool.RunAsync(
            "bash",
            [Path.Combine(RepoPaths.Scripts, "backup-prometheus.sh"), backups.Path],
            environment: new Dictionary<string, string>
            {
                ["PROMETHEUS_URL"] = stack.Prometheus.Url,
                ["PROMETHEUS_PASSWORD_FILE"] = stack.Prometheus.PasswordFile,
                ["PROMETHEUS_DATA_DIR"] = stack.Prometheus.DataDir,
            });
        Assert.True(backup.ExitCode == 0, backup.ToString());
        var archive = backup.StdOut.Trim().Split('\n')[^1];
        Assert.True(File.Exists(archive), $"no archive at {archive}\n{backup}");
        Assert.Empty(Directory.GetDirectories(Path.Combine(stack.Prometheus.DataDir, "snapshots")));

        // Into a new run directory's data/, where the AppHost's resource keeps its TSDB (LocalPrometheusResource.StoragePath),
        // then a Prometheus started on that run directory.
        var restoredRun = backups.Combine("restored");
        var restore = await Tool.RunAsync("bash", [Path.Combine(RepoPaths.Scripts, "restore-prometheus.sh"), archive, Path.Combine(restoredRun, "data")]);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("restored 1 block(s)", restore.StdOut);

        await using var restored = await PrometheusInstance.StartAsync(stack.Auth, runDirectory: restoredRun);
        var after = await restored.QueryAsync(selector, sampleTime);

        Assert.True(after.Count == 1, $"restored Prometheus has no {selector} at {sampleTime:O}\n{await restored.LogAsync()}");
        Assert.Equal("1", (string?)after[0]!["value"]![1]);
    }

    [Fact]
    public async Task Restore_refuses_a_non_empty_data_directory()
    {
        using var dir = new TempDir("restore-refuse");
        var archive = dir.WriteFile("backup.tar.gz", "not used");
        dir.WriteFile("data/existing-block", "x");

        var restore = await Tool.RunAsync("bash", [Path.Combine(RepoPaths.Scripts, "restore-prometheus.sh"), archive, dir.Combine("data")]);

        Assert.NotEqual(0, restore.ExitCode);
        Assert.Contains("not empty", restore.StdErr);
    }
}
