using System.Buffers;
using Microsoft.Extensions.Options;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Warehouse.AlertInbox.Inbox;

/// <summary>
/// The SMTP side: Alertmanager's email receiver delivers here (plain SMTP on loopback, no STARTTLS, no AUTH), and
/// each message becomes a delivery on the <c>/email</c> channel with its subject as the summary.
/// </summary>
public sealed class SmtpListener(IOptions<InboxOptions> options, DeliveryLog log, ILogger<SmtpListener> logger) : BackgroundService
{
    public const string Channel = "/email";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.SmtpPort == 0)
        {
            return;
        }

        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName("alertinbox")
            .Endpoint(endpoint => endpoint.Endpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, options.Value.SmtpPort)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(log));
        logger.LogInformation("Receiving email on 127.0.0.1:{Port}", options.Value.SmtpPort);
        await new SmtpServer.SmtpServer(serverOptions, services).StartAsync(stoppingToken);
    }

    private sealed class Store(DeliveryLog log) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            var to = string.Join(", ", message.To.Mailboxes.Select(m => m.Address));
            log.Add(Channel, $"{message.Subject} (to {to})", message.TextBody ?? message.HtmlBody ?? "");
            return SmtpResponse.Ok;
        }
    }
}
