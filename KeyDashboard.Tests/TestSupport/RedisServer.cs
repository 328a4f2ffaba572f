using System.Collections.Concurrent;
using System.Diagnostics;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Debian's redis-server on a free port of 127.0.0.1, keeping nothing on disk. <see cref="Shared"/> is started once per
/// test run, on first use, and killed when the run ends; a test that takes Redis down starts one of its own.
/// </summary>
public sealed class RedisServer : IDisposable
{
    public const string ProgramPath = "/usr/bin/redis-server";

    private static readonly Lazy<RedisServer> SharedServer = new(() =>
    {
        var server = Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    });

    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public static bool IsInstalled => File.Exists(ProgramPath);

    /// <summary>The server of the whole test run. Tests on it keep apart by their own keys and client addresses.</summary>
    public static RedisServer Shared => SharedServer.Value;

    public int Port { get; }

    /// <summary>The app's <c>KeyDashboard:Redis</c> for this server.</summary>
    public Dictionary<string, string> Settings => new() { ["KeyDashboard:Redis"] = $"127.0.0.1:{Port}" };

    /// <summary>A server of its own, on <paramref name="port"/> (as a restarted one comes back) or a free one.</summary>
    public static RedisServer Start(int? port = null)
    {
        if (!IsInstalled) throw new InvalidOperationException(RedisFactAttribute.RedisMissing);
        port ??= SmtpSink.FreePort();
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(ProgramPath, ["--bind", "127.0.0.1", "--port", port.ToString(), "--save", "", "--appendonly", "no"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null) return;
            output.Enqueue(line.Data);
            if (line.Data.Contains("Ready to accept connections")) ready.TrySetResult();
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!ready.Task.Wait(TimeSpan.FromSeconds(20)))
        {
            process.Kill();
            throw new InvalidOperationException($"redis-server did not start on port {port}: {string.Join('\n', output)}");
        }
        return new RedisServer(process, port.Value);
    }

    /// <summary>Stops the server without closing its connections (SIGSTOP): it hangs, as an overloaded or cut-off one does.</summary>
    public void Freeze() => Process.Start("kill", ["-STOP", _process.Id.ToString()]).WaitForExit();

    /// <summary>Kills the server at once, as a crash would.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
