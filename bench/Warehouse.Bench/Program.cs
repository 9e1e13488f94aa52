using Warehouse.Bench;

// Measures the platform as it runs (Release services through ProcessHost) and prints the numbers:
//   dotnet run -c Release --project bench/Warehouse.Bench -- [all|import|scan] [--rows N] [--rate N] [--seconds N]
var options = BenchOptions.Parse(args);
await using var platform = await BenchPlatform.StartAsync(options);

if (options.Runs("import"))
{
    await ImportBenchmark.RunAsync(platform, options);
}

if (options.Runs("scan"))
{
    await ScanBenchmark.RunAsync(platform, options);
}
