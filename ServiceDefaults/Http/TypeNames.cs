using System.Collections;

namespace Warehouse.ServiceDefaults.Http;

/// <summary>What a value must be, said for someone writing JSON or a query string rather than .NET.</summary>
internal static class TypeNames
{
    private static readonly Dictionary<string, Type> Keywords = new(StringComparer.Ordinal)
    {
        ["Guid"] = typeof(Guid), ["int"] = typeof(int), ["long"] = typeof(long), ["bool"] = typeof(bool),
        ["DateTime"] = typeof(DateTime), ["DateTimeOffset"] = typeof(DateTimeOffset), ["string"] = typeof(string),
    };

    public static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(Guid) => "a UUID, such as 0197e6a0-7d2a-7c3e-9f41-5b2a8c1d4e6f",
        var t when t == typeof(int) => $"a whole number no larger than {int.MaxValue}",
        var t when t == typeof(long) => $"a whole number no larger than {long.MaxValue}",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(DateTime) || t == typeof(DateTimeOffset) => "a date and time (ISO 8601)",
        var t when t == typeof(string) => "text",
        var t when typeof(IEnumerable).IsAssignableFrom(t) => "a JSON array",
        _ => "a JSON object",
    };

    /// <summary>The same for a parameter type as ASP.NET Core's binding messages spell it (<c>int?</c>, <c>Guid</c>).</summary>
    public static string? Describe(string parameterType) =>
        Keywords.TryGetValue(parameterType.TrimEnd('?'), out var type) ? Describe(type) : null;
}
