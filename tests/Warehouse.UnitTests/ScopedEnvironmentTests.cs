using Warehouse.Testing;

namespace Warehouse.UnitTests;

public sealed class ScopedEnvironmentTests
{
    [Fact]
    public void Variables_are_set_for_the_scope_and_what_was_there_before_comes_back()
    {
        var existing = "WAREHOUSE_TEST_EXISTING_" + Guid.NewGuid().ToString("N");
        var fresh = "WAREHOUSE_TEST_FRESH_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(existing, "before");
        try
        {
            using (new ScopedEnvironment(new Dictionary<string, string> { [existing] = "during", [fresh] = "new" }))
            {
                Assert.Equal("during", Environment.GetEnvironmentVariable(existing));
                Assert.Equal("new", Environment.GetEnvironmentVariable(fresh));
            }

            Assert.Equal("before", Environment.GetEnvironmentVariable(existing));
            Assert.Null(Environment.GetEnvironmentVariable(fresh));
        }
        finally
        {
            Environment.SetEnvironmentVariable(existing, null);
        }
    }
}
