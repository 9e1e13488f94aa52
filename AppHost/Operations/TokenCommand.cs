using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Warehouse.Contracts.Security;

namespace AppHost.Operations;

/// <summary>
/// "Mint development tokens" on the gateway: writes a JWT per role, signed with the platform's key and valid for
/// eight hours, to the gateway's console log in the dashboard (the tokens are as secret as the key; this is for
/// development machines).
/// </summary>
internal static class TokenCommand
{
    public const string Name = "mint-tokens";
    public const string DevelopmentWarehouse = "WH1";

    private static readonly (string Role, string? Warehouse)[] Holders =
        [("admin", null), ("planner", DevelopmentWarehouse), ("operator", DevelopmentWarehouse)];

    public static IResourceBuilder<ProjectResource> WithTokenCommand(
        this IResourceBuilder<ProjectResource> gateway, IResourceBuilder<ParameterResource> signingKey, string issuer, string audience) =>
        gateway.WithCommand(Name, "Mint development tokens", async context =>
        {
            var key = await signingKey.Resource.GetValueAsync(context.CancellationToken);
            var options = new JwtOptions { SigningKey = key, Issuer = issuer, Audience = audience };
            var logger = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(context.ResourceName);
            foreach (var (role, warehouse) in Holders)
            {
                var token = TokenIssuer.Create(options, $"dev-{role}", role, warehouse, TimeSpan.FromHours(8));
                logger.LogInformation("Development token, role {Role}, warehouse {Warehouse}: {Token}", role, warehouse ?? "(all)", token);
            }

            return CommandResults.Success();
        }, new CommandOptions { IconName = "Key", Description = "Writes a token per role to this resource's console log" });
}
