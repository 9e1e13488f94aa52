using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Warehouse.Contracts.Security;

namespace Warehouse.Security;

/// <summary>
/// The warehouses a caller may read and change: every warehouse for an admin; otherwise exactly those its token
/// names in <c>warehouse</c> claims, and none without one. Handlers take it as a parameter (minimal APIs bind it
/// from the user) and pass <see cref="Warehouses"/> to the query, so the rule is enforced where the data is.
/// </summary>
public sealed class WarehouseScope
{
    public static readonly WarehouseScope All = new(null);

    private readonly HashSet<string>? _warehouses;

    private WarehouseScope(HashSet<string>? warehouses) => _warehouses = warehouses;

    /// <summary>The warehouses in scope, or null for all: the shape of a <c>text[]</c> query parameter.</summary>
    public string[]? Warehouses => _warehouses?.Order(StringComparer.Ordinal).ToArray();

    public bool IsEmpty => _warehouses is { Count: 0 };

    public static WarehouseScope Of(ClaimsPrincipal user) => user.IsInRole(Roles.Admin)
        ? All
        : Only(user.FindAll(ClaimNames.Warehouse).Select(claim => claim.Value));

    /// <summary>A scope that was stored with a job (null: all warehouses).</summary>
    public static WarehouseScope Only(IEnumerable<string>? warehouses) =>
        warehouses is null ? All : new(warehouses.Where(w => w.Length > 0).ToHashSet(StringComparer.Ordinal));

    public static ValueTask<WarehouseScope?> BindAsync(HttpContext context) => ValueTask.FromResult<WarehouseScope?>(Of(context.User));

    public bool Allows(string? warehouseId) => warehouseId is not null && (_warehouses is null || _warehouses.Contains(warehouseId));

    /// <summary>Whether everything <paramref name="other"/> may reach is also in this scope.</summary>
    public bool Covers(WarehouseScope other) => _warehouses is null || (other._warehouses is not null && other._warehouses.IsSubsetOf(_warehouses));

    /// <summary>The message for a warehouse outside the scope, shown to the caller.</summary>
    public static string NotCovered(string warehouseId) => $"Your token does not cover warehouse {warehouseId}.";
}
