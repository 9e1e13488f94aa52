using Warehouse.AlertInbox.Inbox;

namespace Warehouse.AlertInbox.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<InboxOptions>(builder.Configuration.GetSection(InboxOptions.SectionName));
        builder.Services.AddSingleton<DeliveryLog>();
        builder.Services.AddHostedService<SmtpListener>();
    }
}
