using Warehouse.Bench;

// Measures the platform as it runs (the AppHost's local flavour, Release build) and prints the numbers:
//   dotnet run -c Release --project bench/Warehouse.Bench -- [all|import|scan] [--rows N] [--rate N] [--seconds N] [--proxied]
//   dotnet run -c Release --project bench/Warehouse.Bench -- compare [--rounds N]
//   dotnet run -c Release --project bench/Warehouse.Bench -- idle [--minutes N]   (alerts on a healthy idle platform)
//   dotnet run -c Release --project bench/Warehouse.Bench -- gateway [--rounds N] (the gateway against nginx and direct)
//   any of them with --set NAME=VALUE (repeatable): added to every service's environment, for an experiment
var options = BenchOptions.Parse(args);
if (options.Which == "compare")
{
    await CompareBenchmark.RunAsync(options);
    return;
}

await using var platform = await BenchPlatform.StartAsync(options.ServiceEnvironment, options.Proxied);
if (options.Which == "idle")
{
    await IdleAlerts.RunAsync(platform, options);
    return;
}

if (options.Which == "gateway")
{
    await GatewayBenchmark.RunAsync(platform, options);
    return;
}

if (options.Runs("import"))
{
    await ImportBenchmark.RunAsync(platform, options);
}

if (options.Runs("scan"))
{
    ScanBenchmark.Print(await ScanBenchmark.MeasureAsync(platform, options), options);
}
