using Warehouse.ProcessHost.Cli;
using Warehouse.ProcessHost.Hosting;

try
{
    var cli = CliArgs.Parse(args);
    if (cli.Help)
    {
        Console.WriteLine(CliArgs.Usage);
        return 0;
    }

    return cli.Command == "token" ? TokenCommand.Run(cli) : await RunCommand.RunAsync(cli);
}
catch (PlatformException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
