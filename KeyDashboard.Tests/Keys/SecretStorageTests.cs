using System.Text;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyDashboard.Tests.Keys;

/// <summary>"Only the hash is stored": after keys are created, rotated and looked up in the running app, no secret
/// is in the database files, the logs or the audit trail.</summary>
public sealed class SecretStorageTests(SecretStorageTests.AppWithIssuedKeys app) : IClassFixture<SecretStorageTests.AppWithIssuedKeys>
{
    private static readonly Encoding[] Encodings = [new UTF8Encoding(false), new UnicodeEncoding(false, false), new UnicodeEncoding(true, false)];

    [Fact]
    public void No_file_in_the_data_folder_holds_a_secret_in_any_encoding()
    {
        var files = app.DataFiles;

        Assert.Equal(3 * 25, app.SecretFragments.Count); // 3 secrets, 34 hidden characters each
        Assert.Contains("keydashboard.db", files.Keys);
        Assert.Contains("keydashboard.db-wal", files.Keys);
        foreach (var (name, bytes) in files)
            foreach (var fragment in app.SecretFragments)
                foreach (var encoding in Encodings)
                    Assert.True(bytes.AsSpan().IndexOf(encoding.GetBytes(fragment)) < 0, $"{name} holds {fragment} as {encoding.WebName}");
    }

    [Fact]
    public void The_write_ahead_log_holds_the_display_prefixes_so_the_search_would_find_a_secret()
    {
        var wal = app.DataFiles["keydashboard.db-wal"];

        foreach (var prefix in app.DisplayPrefixes)
            Assert.True(wal.AsSpan().IndexOf(Encoding.UTF8.GetBytes(prefix)) >= 0, $"{prefix} not found");
    }

    [Fact]
    public void Logs_at_trace_level_were_captured_and_none_holds_a_secret()
    {
        var logs = app.Logs;

        // appsettings.json keeps EF's command log at Warning; Debug entries show the recorder sees below that.
        Assert.Contains(logs, line => line.StartsWith("Microsoft.EntityFrameworkCore.Database.Command Debug", StringComparison.Ordinal));
        Assert.Contains(logs, line => line.Contains(" Trace ", StringComparison.Ordinal));
        Assert.Contains(logs, line => line.Contains("INSERT INTO \"ApiKeys\"", StringComparison.Ordinal));
        foreach (var fragment in app.SecretFragments)
            Assert.DoesNotContain(logs, line => line.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void Audit_entries_hold_neither_a_secret_nor_its_hash()
    {
        var forbidden = app.SecretFragments
            .Concat(app.Hashes.SelectMany(hash => new[] { Convert.ToBase64String(hash), Convert.ToHexString(hash), Convert.ToHexStringLower(hash) }))
            .ToList();

        Assert.Equal(3, app.AuditTexts.Count); // two created, one rotated
        foreach (var text in app.AuditTexts)
            foreach (var value in forbidden)
                Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The app with two keys created and one of them rotated, everything logged at Trace.</summary>
    public sealed class AppWithIssuedKeys : IAsyncLifetime
    {
        private readonly LogRecorder _recorder = new();
        private readonly KeyDashboardFactory _factory;

        public AppWithIssuedKeys() => _factory = new()
        {
            ConfigureServices = services => services.AddLogging(logging => logging
                .AddProvider(_recorder)
                .AddFilter<LogRecorder>(null, LogLevel.Trace)),
        };

        /// <summary>Every run of 10 characters in the part of a secret its display prefix does not show: a leak of
        /// even a third of that part is caught, and 10 random base62 characters never turn up by chance.</summary>
        public List<string> SecretFragments { get; } = [];
        public List<string> DisplayPrefixes { get; } = [];
        public List<byte[]> Hashes { get; } = [];
        public List<string> AuditTexts { get; private set; } = [];
        public IReadOnlyList<string> Logs => _recorder.Lines.ToList();
        public Dictionary<string, byte[]> DataFiles { get; } = [];

        public async Task InitializeAsync()
        {
            using var scope = _factory.Services.CreateScope();
            var services = scope.ServiceProvider;
            await using var walKeeper = await KeepWriteAheadLogAsync();
            var actor = _factory.ActorFor(_factory.World.Owner);
            var workspaceId = _factory.World.Workspace.Id;

            var keys = services.GetRequiredService<ApiKeyService>();
            var live = await keys.CreateAsync(actor, workspaceId, new CreateKeyRequest { Name = "prod", Environment = KeyEnvironment.Live, Scopes = ["keys:read"] });
            var test = await keys.CreateAsync(actor, workspaceId, new CreateKeyRequest { Name = "staging", Environment = KeyEnvironment.Test, Scopes = ["keys:read"] });
            var rotated = await keys.RotateAsync(actor, workspaceId, live.Value!.Key.Id, RotationGrace.OneDay);
            IssuedKey[] issued = [live.Value!, test.Value!, rotated.Value!];

            var lookup = services.GetRequiredService<ApiKeyLookup>();
            var hasher = services.GetRequiredService<ApiKeyHasher>();
            var format = services.GetRequiredService<ApiKeyFormat>();
            foreach (var key in issued)
            {
                Assert.NotNull(await lookup.FindAsync(key.Secret));
                var hidden = key.Secret[(format.EnvironmentPrefix(key.Key.Environment).Length + ApiKeyFormat.DisplayRandomLength)..];
                SecretFragments.AddRange(Enumerable.Range(0, hidden.Length - 9).Select(start => hidden.Substring(start, 10)));
                Hashes.Add(hasher.Hash(key.Secret));
            }
            DisplayPrefixes.AddRange([rotated.Value!.Key.DisplayPrefix, test.Value!.Key.DisplayPrefix]);

            var db = services.GetRequiredService<AppDbContext>();
            AuditTexts = (await db.AuditEntries.AsNoTracking().ToListAsync())
                .Select(a => string.Join("\n", a.ActorId, a.ActorName, a.Action, a.TargetType, a.TargetId, a.TargetName, a.Details, a.ClientAddress))
                .ToList();

            // Read while the app still runs, so the WAL has not been checkpointed into the main file; the WAL first,
            // so that whatever a checkpoint might move would be in the main file when that is read.
            foreach (var path in Directory.EnumerateFiles(_factory.DataDirectory, "*", SearchOption.AllDirectories).OrderBy(p => !p.EndsWith("-wal")))
                DataFiles[Path.GetRelativePath(_factory.DataDirectory, path)] = ReadShared(path);
        }

        /// <summary>
        /// SQLite checkpoints and deletes the WAL when the last connection closes, as when a connection pool is
        /// cleared. An unpooled connection of our own that has read the database keeps the WAL in place.
        /// </summary>
        private async Task<SqliteConnection> KeepWriteAheadLogAsync()
        {
            var connection = new SqliteConnection($"Data Source={Path.Combine(_factory.DataDirectory, "keydashboard.db")};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master";
            await command.ExecuteScalarAsync();
            return connection;
        }

        private static byte[] ReadShared(string path)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            file.CopyTo(copy);
            return copy.ToArray();
        }

        public async Task DisposeAsync() => await _factory.DisposeAsync();
    }
}
