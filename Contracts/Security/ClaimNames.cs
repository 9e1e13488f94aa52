namespace Warehouse.Contracts.Security;

/// <summary>The claims of a platform token (JWT names, not mapped to .NET's long claim types).</summary>
public static class ClaimNames
{
    public const string Subject = "sub";
    public const string Role = "role";

    /// <summary>A warehouse the holder may act on; a token may carry several.</summary>
    public const string Warehouse = "warehouse";
}
