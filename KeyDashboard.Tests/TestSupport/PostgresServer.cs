using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// The PostgreSQL server of a test run: the one <c>.ci/run</c> started, whose connection string it puts in
/// <see cref="ConnectionVariable"/>, or else a throw-away cluster started here from Debian's postgresql binaries on
/// 127.0.0.1, deleted when the run ends. Each test gets a database of its own on it.
/// </summary>
public static class PostgresServer
{
    public const string ConnectionVariable = "KEYDASHBOARD_TEST_POSTGRESQL";
    public const string Missing = "PostgreSQL is not installed (apt-get install -y postgresql); the PostgreSQL tests run in CI.";

    private static readonly Lazy<string> Server = new(Start);

    /// <summary>Null when the tests can have a server; else why not. Cheap: nothing is started to tell.</summary>
    public static string? Unavailable =>
        Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } || ProgramPath("initdb") is not null ? null : Missing;

    /// <summary>A connection string for <paramref name="database"/> on the server, started on first use.</summary>
    public static string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder(Server.Value) { Database = database }.ToString();

    public static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public static T Scalar<T>(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (T)command.ExecuteScalar()!;
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } given) return given;
        var initdb = ProgramPath("initdb") ?? throw new InvalidOperationException(Missing);
        var pgCtl = Path.Combine(Path.GetDirectoryName(initdb)!, "pg_ctl");
        var directory = Path.Combine(Path.GetTempPath(), "kd-tests-postgresql", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        // PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres account.
        var asRoot = Environment.UserName == "root";
        if (asRoot) Run("chown", "-R", "postgres", directory);
        var port = FreePort();
        string[] Command(string program, params string[] arguments) => asRoot ? ["runuser", "-u", "postgres", "--", program, .. arguments] : [program, .. arguments];
        Run(Command(initdb, "-D", Path.Combine(directory, "data"), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"));
        var options = $"-c listen_addresses=127.0.0.1 -p {port} -k {directory} -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        Run(Command(pgCtl, "-D", Path.Combine(directory, "data"), "-l", Path.Combine(directory, "log"), "-o", options, "-w", "start"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Run(Command(pgCtl, "-D", Path.Combine(directory, "data"), "-m", "immediate", "stop")); } catch (InvalidOperationException) { }
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        };
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    private static string? ProgramPath(string program) =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin", program)).FirstOrDefault(File.Exists)
            : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command[1..]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({process.ExitCode}): {error}{output.Result}");
    }
}
