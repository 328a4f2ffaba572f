using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Email;

/// <summary>The app sending its mail to a real SMTP server on 127.0.0.1, shared by one test class.</summary>
public sealed class SmtpApp : IAsyncLifetime
{
    public SmtpSink Sink { get; private set; } = null!;
    public KeyDashboardFactory App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sink = await SmtpSink.StartAsync();
        App = new KeyDashboardFactory { Settings = Sink.Settings };
        App.StartServer();
    }

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (Sink is not null) await Sink.DisposeAsync();
    }
}
