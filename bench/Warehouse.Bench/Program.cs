using Warehouse.Bench;

// Measures the platform as it runs (the AppHost's local flavour, Release build) against anchors in the same run and
// prints every ratio, then all of them in one table:
//   dotnet run -c Release --project bench/Warehouse.Bench -- [all|gateway|scan|fanout|import|compare|scan-copies] [--rounds N]
//       [--rows N] [--rate N] [--seconds N] [--clients 200,500,1000] [--receivers N] [--proxied]
//   dotnet run -c Release --project bench/Warehouse.Bench -- idle [--minutes N]   (alerts on a healthy idle platform)
//   dotnet run -c Release --project bench/Warehouse.Bench -- snapshot [--rounds N] [--seconds N] [--open-every N]   (a client's first view
//       of 1,000 / 100,000 / 600,000 tasks, before and after; --seconds caps the before-read)
//   any of them with --set [service:]NAME=VALUE (repeatable): added to the services' environment, for an experiment
//   any of them with --smoke: once at a tiny size (scripts/test.sh), to show it completes with 0 errors
// Exits non-zero if any run had an error (a failed request, a missed delivery, a failed import).
var options = BenchOptions.Parse(args);
var report = new RatioReport();
if (options.Which is not ("compare" or "scan-copies"))
{
    await using var platform = await BenchPlatform.StartAsync(options.ServiceEnvironment, options.Proxied);
    if (options.Which == "idle")
    {
        await IdleAlerts.RunAsync(platform, options);
        return;
    }

    if (options.Runs("gateway"))
    {
        await GatewayBenchmark.RunAsync(platform, options, report);
    }

    if (options.Runs("scan"))
    {
        await ScanBenchmark.RunAsync(platform, options, report);
    }

    if (options.Runs("fanout"))
    {
        await FanoutBenchmark.RunAsync(platform, options, report);
    }

    // It empties the tasks table before each size, as the import benchmark does after each arm.
    if (options.Runs("snapshot"))
    {
        await SnapshotBenchmark.RunAsync(platform, options, report);
    }

    // Last on this platform: it empties the tasks table after each arm.
    if (options.Runs("import"))
    {
        await ImportBenchmark.RunAsync(platform, options, report);
    }
}

// The comparisons start a platform per arm: telemetry on and off, two task-service copies and one.
if (options.Runs("compare"))
{
    await CompareBenchmark.TelemetryAsync(options, report);
}

if (options.Runs("scan-copies"))
{
    await CompareBenchmark.CopiesAsync(options, report);
}

report.Print();
if (report.HasErrors)
{
    Console.Error.WriteLine("the run had errors (listed above): its figures do not hold");
    Environment.ExitCode = 1;
}
