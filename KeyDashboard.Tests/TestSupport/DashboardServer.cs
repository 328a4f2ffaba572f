using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Workspaces;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// The app on a real Kestrel port on 127.0.0.1 with the demo data, and a headless Debian Chromium driven by
/// Playwright: started once, for every browser test (<see cref="BrowserCollection"/>). Each test starts on the
/// demo as it was seeded (<see cref="StartTestAsync"/>), so no test sees what another one changed.
/// </summary>
public sealed class DashboardServer : IAsyncLifetime
{
    private readonly KeyDashboardFactory _factory = new() { SeedDemoData = true, OnKestrel = true };
    private readonly Dictionary<string, string> _signedIn = [];
    private readonly List<IBrowserContext> _contexts = [];
    private IPlaywright? _playwright;
    private string _seeded = null!;

    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseAddress => _factory.BaseAddress;
    public IServiceProvider Services => _factory.Services;

    public async Task InitializeAsync()
    {
        // Without a browser nothing is started: the tests are skipped, or under CI=true fail with this reason.
        if (!File.Exists(BrowserFactAttribute.ChromiumPath)) throw new InvalidOperationException(BrowserFactAttribute.ChromiumMissing);
        // The app migrates and seeds while Chromium starts.
        var server = Task.Run(_factory.StartServer);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.ChromiumPath,
            Headless = true,
            // This machine's network is closed: Chromium's background services would only fail and retry.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(DashboardPage.ScreenshotDirectory);
        await server;
        _seeded = Path.Combine(_factory.DataDirectory, "seeded.db");
        await CopyDatabaseAsync(Live(), $"Data Source={_seeded};Pooling=False");
    }

    /// <summary>
    /// Puts the demo back as it was seeded, and tells the app every workspace changed so that nothing it keeps in
    /// memory outlives the data.
    /// </summary>
    public async Task StartTestAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        // The sign-ins kept for SignInAsync live in the database (server-side sessions): they survive the reset.
        var sessions = await db.UserSessions.AsNoTracking().ToListAsync();
        await CopyDatabaseAsync($"Data Source={_seeded};Pooling=False", Live());
        var users = await db.Users.Select(u => u.Id).ToListAsync();
        // Each test starts as if just signed in: a sign-in kept from tests minutes ago would ask to re-authenticate.
        foreach (var session in sessions) session.AuthenticatedAt = DateTimeOffset.UtcNow;
        db.UserSessions.AddRange(sessions.Where(s => users.Contains(s.UserId)));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        foreach (var workspace in await db.Workspaces.Select(w => w.Id).ToListAsync()) await Services.AnnounceChangeAsync(workspace);
    }

    /// <summary>Closes the browser contexts the test opened.</summary>
    public async Task EndTestAsync()
    {
        foreach (var context in _contexts) await context.DisposeAsync();
        _contexts.Clear();
    }

    /// <summary>A fresh browser context (own cookies) at 1440 x 900 with the clipboard usable, closed when the test ends.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = BaseAddress.ToString();
        options.ViewportSize ??= new ViewportSize { Width = 1440, Height = 900 };
        options.Permissions ??= ["clipboard-read", "clipboard-write"];
        var context = await Browser.NewContextAsync(options);
        _contexts.Add(context);
        return context;
    }

    /// <summary>
    /// The keys page in a fresh context signed in as <paramref name="email"/>. The first time for an account it logs
    /// in through the form; after that the context starts with that sign-in's cookies, which stay valid because
    /// the account's security stamp is in the seeded demo and its session survives the reset, unless a test ended it.
    /// </summary>
    public async Task<IPage> SignInAsync(string email)
    {
        var signedIn = _signedIn.TryGetValue(email, out var state);
        var context = await NewContextAsync(new BrowserNewContextOptions { StorageState = state });
        var page = await context.NewPageAsync();
        if (signedIn && (await page.GotoAsync("/"))?.Url.Contains("/Account/Login") != true)
        {
            await DashboardPage.WaitForKeysAsync(page);
        }
        else
        {
            await DashboardPage.LogInAsync(page, email);
            _signedIn[email] = await context.StorageStateAsync();
        }
        return page;
    }

    public async Task<ApiKey> KeyRowAsync(string name)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        return await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Name == name);
    }

    public async Task<ApplicationUser> UserAsync(string email)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
    }

    public async Task<Workspace> WorkspaceAsync(string name)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        return await db.Workspaces.AsNoTracking().SingleAsync(w => w.Name == name);
    }

    public IDbContextFactory<AppDbContext> DbFactory => _factory.DbFactory;

    /// <summary><paramref name="user"/> acting in a session signed in just now, as a service call from their page would.</summary>
    public Actor ActorFor(ApplicationUser user) => _factory.ActorFor(user);

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await _factory.DisposeAsync();
    }

    private string Live() => new SqliteConnectionStringBuilder(DatabaseSetup.SqliteConnectionString(null, _factory.DataDirectory)) { Pooling = false }.ToString();

    // SQLite's online backup: it copies page by page under the database's own locks, so the app's open connections
    // simply see the new content on their next read. It doesn't wait for a lock: while the app writes (a session's
    // last-seen time, a queued mail's bookkeeping, the last test's tab) it is busy, and is tried again shortly.
    private static async Task CopyDatabaseAsync(string from, string to)
    {
        await using var source = new SqliteConnection(from);
        await using var destination = new SqliteConnection(to);
        await source.OpenAsync();
        await destination.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                source.BackupDatabase(destination);
                return;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 && attempt < 100)
            {
                await Task.Delay(50);
            }
        }
    }
}

/// <summary>
/// Every browser test: one <see cref="DashboardServer"/> for all of them, and they run one at a time (first, see
/// <see cref="BrowserTestsFirst"/>). Two collections with a server each measured slower on two cores: side by side,
/// the browser tests only took CPU from each other and from the rest of the suite.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<DashboardServer>
{
    public const string Name = "Browser";
}

/// <summary>Base of a browser test class: each test starts on the demo as seeded, and its browser contexts close when it ends.</summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(DashboardServer server) : IAsyncLifetime
{
    protected DashboardServer Server { get; } = server;

    public Task InitializeAsync() => Server.StartTestAsync();

    public Task DisposeAsync() => Server.EndTestAsync();
}
