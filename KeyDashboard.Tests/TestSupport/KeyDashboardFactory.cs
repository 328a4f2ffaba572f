using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using KeyDashboard.Data;
using Microsoft.Data.Sqlite;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// The whole app over HTTP, with its own data folder (database, pepper, Data Protection keys) in a temp
/// directory. Demo data is off unless a test asks for it with <see cref="SeedDemoData"/>. To start the app a
/// second time on the same data, keep the first factory's folder and give it to the second one.
/// </summary>
public class KeyDashboardFactory : WebApplicationFactory<Program>
{
    public string DataDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "kd-tests", Guid.NewGuid().ToString("N"));
    public bool SeedDemoData { get; init; }
    /// <summary>Serve the CSS and scripts of referenced packages (MudBlazor), as Development does: browsers need them.</summary>
    public bool ServeStaticWebAssets { get; init; }
    /// <summary>Leave the data folder in place on dispose, for another factory to start on.</summary>
    public bool KeepDataDirectory { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("KeyDashboard:DataDirectory", DataDirectory);
        builder.UseSetting("KeyDashboard:SeedDemoData", SeedDemoData ? "true" : "false");
        if (ServeStaticWebAssets) builder.UseStaticWebAssets();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        // Only this app's pool: clearing every pool would close other tests' connections mid-run.
        SqliteConnection.ClearPool(new SqliteConnection(DatabaseSetup.SqliteConnectionString(null, DataDirectory)));
        if (!KeepDataDirectory)
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
