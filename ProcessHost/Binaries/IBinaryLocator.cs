namespace Warehouse.ProcessHost.Binaries;

/// <summary>Finds an installed executable by name; injectable so tests can simulate a missing package.</summary>
public interface IBinaryLocator
{
    /// <summary>Full path of <paramref name="name"/>, or null when it is not installed.</summary>
    string? Find(string name);
}
