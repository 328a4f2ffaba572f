using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// A real SMTP server on 127.0.0.1 (aiosmtpd, started from <c>smtp_sink.py</c>) that keeps every message it receives in
/// <see cref="Mail"/>, and the settings that point the app at it.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";
    private const string AiosmtpdPackage = "/usr/lib/python3/dist-packages/aiosmtpd";

    private readonly Process _process;

    private SmtpSink(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        Mail = new MailFolder(folder);
    }

    public static bool IsInstalled => File.Exists(Python) && Directory.Exists(AiosmtpdPackage);

    public int Port { get; }
    public MailFolder Mail { get; }

    /// <summary>The app's configuration for this server.</summary>
    public Dictionary<string, string> Settings => new()
    {
        ["KeyDashboard:Email:Smtp:Host"] = "127.0.0.1",
        ["KeyDashboard:Email:Smtp:Port"] = Port.ToString(),
        ["KeyDashboard:Email:Smtp:Security"] = "None",
        ["KeyDashboard:Email:Smtp:From"] = "KeyDashboard <keys@keydashboard.test>",
    };

    public static async Task<SmtpSink> StartAsync()
    {
        if (!IsInstalled) throw new InvalidOperationException(SmtpFactAttribute.AiosmtpdMissing);
        var port = FreePort();
        var folder = WorldDatabaseCopies.NewDataDirectory();
        var script = System.IO.Path.Combine(AppContext.BaseDirectory, "TestSupport", "smtp_sink.py");
        var process = Process.Start(new ProcessStartInfo(Python, [script, folder, port.ToString()])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var ready = process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(20))) != ready || await ready != "ready")
        {
            process.Kill();
            throw new InvalidOperationException($"The SMTP server did not start: {await process.StandardError.ReadToEndAsync()}");
        }
        return new SmtpSink(process, port, folder);
    }

    /// <summary>A port nothing listens on, for a mail server that is down.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _process.WaitForExitAsync(exited.Token); }
        catch (OperationCanceledException) { _process.Kill(); }
        _process.Dispose();
        try { Directory.Delete(Mail.Path, recursive: true); } catch (IOException) { }
    }
}
