using Microsoft.AspNetCore.Http;

namespace Warehouse.ServiceDefaults.Http;

/// <summary>
/// No platform API takes a query parameter twice. Binding would join the values with a comma
/// (<c>warehouseId=A&amp;warehouseId=B</c> became "A,B", refused as "may contain only letters…"), so a repeated
/// parameter is refused first, by name, saying what is wrong.
/// </summary>
internal sealed class SingleValuedQuery(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var repeated = context.Request.Query.Where(parameter => parameter.Value.Count > 1).Select(parameter => parameter.Key).ToList();
        return repeated.Count == 0
            ? next(context)
            : TypedResults.ValidationProblem(
                repeated.ToDictionary(name => name, name => new[] { $"{name} may be given only once." }),
                title: "A parameter is not valid").ExecuteAsync(context);
    }
}
