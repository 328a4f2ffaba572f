using System.Text;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Everything a database holds, as text, to search for what must never be stored.</summary>
public static class StoredText
{
    /// <summary>
    /// On SQLite the database's files themselves, bytes read as Latin-1 so any stored ASCII shows; on PostgreSQL
    /// every row of every table of the app, each as its text form.
    /// </summary>
    public static async Task<string> AllAsync(TestDatabase database)
    {
        if (!TestProvider.IsPostgreSql)
        {
            var text = new StringBuilder();
            foreach (var path in new[] { database.DatabasePath, database.DatabasePath + "-wal" }.Where(File.Exists))
            {
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(file, Encoding.Latin1);
                text.Append(await reader.ReadToEndAsync());
            }
            return text.ToString();
        }
        await using var db = await database.DbFactory.CreateDbContextAsync();
        var tables = await db.Database.SqlQueryRaw<string>("SELECT tablename AS \"Value\" FROM pg_tables WHERE schemaname = 'public'").ToListAsync();
        var rows = new StringBuilder();
        foreach (var table in tables)
            rows.AppendJoin('\n', await db.Database.SqlQueryRaw<string>($"SELECT t::text AS \"Value\" FROM \"{table}\" t").ToListAsync());
        return rows.ToString();
    }
}
