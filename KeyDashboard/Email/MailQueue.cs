using System.Threading.Channels;

namespace KeyDashboard.Email;

/// <summary>
/// The one place that decides whether the app can send e-mail (<see cref="Delivery"/>), and the queue every message goes
/// through. Sending is the <see cref="MailDispatcher"/>'s job, in the background: an action that sends mail returns
/// without waiting for the mail server, so a slow or failing server never slows or fails it, and a page that e-mails
/// only existing accounts (a password reset) takes the same time whether or not the address has one.
/// </summary>
public sealed class MailQueue(MailDelivery delivery, ILogger<MailQueue> logger)
{
    /// <summary>More than this many waiting messages means the mail server is gone; later ones are dropped and logged.</summary>
    public const int Capacity = 10_000;

    private readonly Channel<OutgoingMail> _channel = Channel.CreateBounded<OutgoingMail>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    public MailDelivery Delivery { get; } = delivery;

    /// <summary>Whether a message given to <see cref="Send"/> goes anywhere: pages promise an e-mail only then.</summary>
    public bool CanSend => Delivery != MailDelivery.None;

    internal ChannelReader<OutgoingMail> Reader => _channel.Reader;

    /// <summary>Queues the message; never throws.</summary>
    /// <returns>Whether it is on its way: false when this server sends no e-mail, or the queue is full.</returns>
    public bool Send(string to, EmailContent content)
    {
        if (!CanSend) return false;
        if (_channel.Writer.TryWrite(new OutgoingMail(to, content))) return true;
        logger.LogError("The mail queue is full ({Capacity} messages): the e-mail \"{Subject}\" was dropped.", Capacity, content.Subject);
        return false;
    }
}
