using Microsoft.AspNetCore.SignalR;

namespace Warehouse.RealtimeWorker.Hubs;

/// <summary>
/// A hub method that refuses the caller (a <see cref="HubException"/>: a warehouse outside the token) is the hub
/// working, not failing: logged at information, without a stack trace. SignalR's dispatcher logs every failed
/// invocation as an error with its stack, so its category is raised above Error (<see cref="Install"/>) and this
/// filter logs the real failures itself, with their stacks, as errors.
/// </summary>
public sealed class RefusalLogging(ILogger<RefusalLogging> logger) : IHubFilter
{
    private const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public static void Install(IHostApplicationBuilder builder)
    {
        builder.Logging.AddFilter(DispatcherCategory, LogLevel.Critical);
        builder.Services.AddSingleton<RefusalLogging>();
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException refusal)
        {
            logger.LogInformation("Refused {Method} for {User}: {Reason}",
                invocationContext.HubMethodName, invocationContext.Context.UserIdentifier ?? invocationContext.Context.User?.Identity?.Name, refusal.Message);
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Hub method {Method} failed", invocationContext.HubMethodName);
            throw;
        }
    }
}
