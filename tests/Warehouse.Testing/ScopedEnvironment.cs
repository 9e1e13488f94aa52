namespace Warehouse.Testing;

/// <summary>Process environment variables set for a fixture's lifetime; dispose puts back what was there before.</summary>
public sealed class ScopedEnvironment : IDisposable
{
    private readonly Dictionary<string, string?> _previous = [];

    public ScopedEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        foreach (var (name, value) in variables)
        {
            _previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
