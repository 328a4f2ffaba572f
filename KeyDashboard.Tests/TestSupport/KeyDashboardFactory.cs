using System.Net;
using System.Net.Http.Headers;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// The whole app, with its own data folder (database, pepper, Data Protection keys) in a temp directory. The
/// database starts as a copy of the <see cref="TestWorld"/>'s, unless <see cref="SeedDemoData"/> asks for the app's
/// own first start (an empty folder, then the demo), or the folder already holds one: to start the app a second
/// time on the same data, keep the first factory's folder and give it to the second one. Requests come over
/// TestServer, or over a real port with <see cref="OnKestrel"/>. Rate limits stay out of the way unless a test sets
/// them, a service token is configured, and a request's client address can be set with <see cref="ClientAddressHeader"/>.
/// </summary>
public class KeyDashboardFactory : WebApplicationFactory<Program>, IWorldDatabase
{
    public const string ServiceToken = "test-service-token-0123456789-abcdefghij";
    /// <summary>TestServer has no network peer: this request header says where a request comes from.</summary>
    public const string ClientAddressHeader = "X-Test-Client-Address";
    public const string DefaultClientAddress = "198.51.100.20";

    private readonly bool _onKestrel;
    private TestWorld? _world;

    public string DataDirectory { get; init; } = WorldDatabaseCopies.NewDataDirectory();
    public bool SeedDemoData { get; init; }
    /// <summary>Leave the data folder in place on dispose, for another factory to start on.</summary>
    public bool KeepDataDirectory { get; init; }
    public int RequestsPerMinutePerKey { get; init; } = 1_000_000;
    public int FailedAuthenticationsPerMinutePerAddress { get; init; } = 1_000_000;
    public int LeakReportsPerMinutePerAddress { get; init; } = 1_000_000;
    /// <summary>Failed sign-ins per address and window: out of the way, as the other limits, unless a test sets it.</summary>
    public int SignInFailuresPerAddress { get; init; } = 1_000_000;
    public bool WithServiceToken { get; init; } = true;
    /// <summary>
    /// How long a write waits for another writer's lock before the database counts as busy. Short for the tests that
    /// lock the database; null keeps the app's default.
    /// </summary>
    public int? BusyTimeoutSeconds { get; init; }
    /// <summary>The hosting environment: "Testing" unless a test needs Production's or Development's error handling.</summary>
    public string Environment { get; init; } = "Testing";
    /// <summary>More configuration, as <c>KeyDashboard:TrustedProxies:0</c> = <c>10.0.0.5</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    /// <summary>More service registrations, e.g. a database interceptor that counts commands, a fake clock, a log recorder.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>
    /// On a real port on 127.0.0.1, serving the CSS and scripts of referenced packages (MudBlazor) as Development does:
    /// for browsers, and for requests with a real client address.
    /// </summary>
    public bool OnKestrel
    {
        get => _onKestrel;
        init
        {
            _onKestrel = value;
            if (value) UseKestrel(0);
        }
    }

    public TestWorld World => _world ??= SeedDemoData
        ? throw new InvalidOperationException("This app holds the demo, not the test world.")
        : TestWorld.Load(DbFactory);

    public IDbContextFactory<AppDbContext> DbFactory => Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
    public TimeProvider Clock => Services.GetRequiredService<TimeProvider>();
    public ApiKeyFormat Format => Services.GetRequiredService<ApiKeyFormat>();

    /// <summary>Where the app answers: TestServer's address, or the Kestrel port once started.</summary>
    public Uri BaseAddress
    {
        get
        {
            if (_onKestrel) StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (!WorldDatabaseCopies.HasDatabase(DataDirectory))
        {
            if (SeedDemoData) WorldDatabaseCopies.CreateEmpty(DataDirectory);
            else WorldDatabaseCopies.CopyTo(DataDirectory);
        }
        foreach (var (key, value) in WorldDatabaseCopies.Settings(DataDirectory)) builder.UseSetting(key, value);
        builder.UseEnvironment(Environment);
        builder.UseSetting("KeyDashboard:DataDirectory", DataDirectory);
        builder.UseSetting("KeyDashboard:SeedDemoData", SeedDemoData ? "true" : "false");
        builder.UseSetting("KeyDashboard:Api:RateLimit:RequestsPerMinutePerKey", RequestsPerMinutePerKey.ToString());
        builder.UseSetting("KeyDashboard:Api:RateLimit:FailedAuthenticationsPerMinutePerAddress", FailedAuthenticationsPerMinutePerAddress.ToString());
        builder.UseSetting("KeyDashboard:Api:RateLimit:LeakReportsPerMinutePerAddress", LeakReportsPerMinutePerAddress.ToString());
        builder.UseSetting("KeyDashboard:SignIn:FailuresPerAddress", SignInFailuresPerAddress.ToString());
        if (BusyTimeoutSeconds is { } busyTimeout)
            builder.UseSetting($"ConnectionStrings:{DatabaseSetup.ConnectionStringName}", BusyConnectionString(busyTimeout));
        if (WithServiceToken) builder.UseSetting("KeyDashboard:Api:ServiceTokens:0", ServiceToken);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        if (_onKestrel) builder.UseStaticWebAssets();
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IStartupFilter, ClientAddressFromHeader>();
            ConfigureServices?.Invoke(services);
        });
    }

    /// <summary>On PostgreSQL, the app is ready once its change listener is: until then it reads every key from the database.</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        ClusterTestSupport.ListeningAsync(host.Services).GetAwaiter().GetResult();
        return host;
    }

    /// <summary>
    /// A client that keeps cookies and shows redirects instead of following them: a browser without scripts, from
    /// <paramref name="clientAddress"/> when one is given.
    /// </summary>
    public HttpClient CreateBrowser(string? clientAddress = null)
    {
        var browser = _onKestrel
            ? new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = BaseAddress }
            : CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (clientAddress is not null) browser.DefaultRequestHeaders.Add(ClientAddressHeader, clientAddress);
        return browser;
    }

    /// <summary>A client that sends <paramref name="key"/> as <c>Authorization: Bearer</c>, or no Authorization header.</summary>
    public HttpClient ApiClient(string? key = null, string clientAddress = DefaultClientAddress)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        client.DefaultRequestHeaders.Add(ClientAddressHeader, clientAddress);
        return client;
    }

    public HttpClient ServiceClient(string token = ServiceToken) => ApiClient(token);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (BusyTimeoutSeconds is { } busyTimeout && !TestProvider.IsPostgreSql)
            SqliteConnection.ClearPool(new SqliteConnection(DatabaseSetup.SqliteConnectionString(BusyConnectionString(busyTimeout), DataDirectory)));
        if (!KeepDataDirectory) WorldDatabaseCopies.Delete(DataDirectory);
        GC.SuppressFinalize(this);
    }

    /// <summary>The database, waiting no longer than <paramref name="seconds"/> for another writer's lock.</summary>
    private string BusyConnectionString(int seconds) => TestProvider.IsPostgreSql
        ? new Npgsql.NpgsqlConnectionStringBuilder(WorldDatabaseCopies.Settings(DataDirectory)[$"ConnectionStrings:{DatabaseSetup.ConnectionStringName}"]) { CommandTimeout = seconds }.ToString()
        : $"Data Source={WorldDatabaseCopies.FileName};Default Timeout={seconds}";

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientAddressHeader], out var address)) context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
