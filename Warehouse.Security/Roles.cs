namespace Warehouse.Security;

public static class Roles
{
    public const string Operator = "operator";
    public const string Planner = "planner";
    public const string Admin = "admin";
}

/// <summary>Operators scan and work tasks; planners and admins plan work and import it.</summary>
public static class Policies
{
    public const string Operations = nameof(Operations);
    public const string Planning = nameof(Planning);
    public const string Administration = nameof(Administration);
}
