using Warehouse.ProcessHost.Hosting;

namespace Warehouse.ProcessHost.Tests;

public sealed class ServiceBuilderTests
{
    [Fact]
    public void Referenced_projects_build_in_the_requested_configuration()
    {
        // Without the property, a solution build compiles ServiceDefaults and Contracts (not listed in the generated
        // solution) in Debug under a Release build: the "Release" services then ran unoptimised shared code.
        var arguments = ServiceBuilder.BuildArguments("/tmp/services.slnx", "Release");

        Assert.Equal(["build", "/tmp/services.slnx", "-c", "Release"], arguments.Take(4));
        Assert.Contains("-p:ShouldUnsetParentConfigurationAndPlatform=false", arguments);
    }
}
