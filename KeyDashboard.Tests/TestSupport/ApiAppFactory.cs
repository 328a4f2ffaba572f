using System.Net;
using System.Net.Http.Headers;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// The app with the demo data, for API tests: a configured service token, rate limits high enough not to
/// interfere unless a test sets them, and a client address taken from the <see cref="ClientAddressHeader"/>
/// request header (TestServer has no network peer), so tests can call from different addresses.
/// </summary>
public class ApiAppFactory : KeyDashboardFactory
{
    public const string ServiceToken = "test-service-token-0123456789-abcdefghij";
    public const string ClientAddressHeader = "X-Test-Client-Address";
    public const string DefaultClientAddress = "198.51.100.20";

    public ApiAppFactory() => SeedDemoData = true;

    public int RequestsPerMinutePerKey { get; init; } = 1_000_000;
    public int FailedAuthenticationsPerMinutePerAddress { get; init; } = 1_000_000;
    public bool WithServiceToken { get; init; } = true;
    /// <summary>More service registrations, e.g. a database interceptor that counts commands.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("KeyDashboard:Api:RateLimit:RequestsPerMinutePerKey", RequestsPerMinutePerKey.ToString());
        builder.UseSetting("KeyDashboard:Api:RateLimit:FailedAuthenticationsPerMinutePerAddress", FailedAuthenticationsPerMinutePerAddress.ToString());
        if (WithServiceToken) builder.UseSetting("KeyDashboard:Api:ServiceTokens:0", ServiceToken);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IStartupFilter, ClientAddressFromHeader>();
            ConfigureServices?.Invoke(services);
        });
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

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await work(db);
    }

    public Task<Guid> DemoWorkspaceIdAsync() => WithDbAsync(db => db.Workspaces.Where(w => w.Name == "Demo").Select(w => w.Id).SingleAsync());

    public Task<ApplicationUser> UserAsync(string email) => WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));

    /// <summary>A new account that is a member of the demo workspace.</summary>
    public async Task<ApplicationUser> AddDemoMemberAsync(string role = Roles.Member)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = $"api-{Guid.NewGuid():N}@example.com";
        var user = new ApplicationUser { UserName = email, Email = email };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        var workspaceId = await DemoWorkspaceIdAsync();
        await WithDbAsync(db =>
        {
            db.Memberships.Add(new Membership { WorkspaceId = workspaceId, UserId = user.Id, Role = role, JoinedAt = DateTimeOffset.UtcNow });
            return db.SaveChangesAsync();
        });
        return user;
    }

    public async Task<Actor> DemoOwnerAsync()
    {
        var owner = await UserAsync("owner@example.com");
        return new Actor(owner.Id, owner.Email!, "192.0.2.1");
    }

    /// <summary>Creates a key in the demo workspace through the lifecycle service, as the demo owner.</summary>
    public async Task<IssuedKey> CreateKeyAsync(string? ownerUserId = null, params string[] scopes)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(await DemoOwnerAsync(), await DemoWorkspaceIdAsync(),
            new CreateKeyRequest { Name = $"api-test-{Guid.NewGuid():N}"[..30], OwnerUserId = ownerUserId, Scopes = scopes.Length > 0 ? [.. scopes] : ["keys:read"] });
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    public async Task<OperationResult<T>> KeysAsync<T>(Func<ApiKeyService, Actor, Guid, Task<OperationResult<T>>> call)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await call(scope.ServiceProvider.GetRequiredService<ApiKeyService>(), await DemoOwnerAsync(), await DemoWorkspaceIdAsync());
        Assert.True(result.Succeeded, result.Message);
        return result;
    }

    /// <summary>Changes a key row directly, for states no service call reaches now (expired, a grace period over).</summary>
    public Task UpdateKeyRowAsync(string keyId, Action<ApiKey> change) => WithDbAsync(async db =>
    {
        change(await db.ApiKeys.SingleAsync(k => k.Id == keyId));
        return await db.SaveChangesAsync();
    });

    public Task<ApiKey> KeyRowAsync(string keyId) => WithDbAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == keyId));

    public ApiKeyFormat Format => Services.GetRequiredService<ApiKeyFormat>();

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
