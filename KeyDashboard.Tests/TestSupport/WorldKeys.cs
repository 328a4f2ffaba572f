using KeyDashboard.Cluster;
using KeyDashboard.Telemetry;
using System.Security.Cryptography;
using KeyDashboard.Api.KeyAuthentication;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Sessions;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Setting up and inspecting keys in an <see cref="IWorldDatabase"/>.</summary>
public static class WorldKeys
{
    public static CreateKeyRequest KeyRequest(string name = "ci-deploy", IReadOnlyCollection<string>? scopes = null, ApplicationUser? owner = null) =>
        new() { Name = name, Scopes = scopes is null ? ["keys:read"] : [.. scopes], OwnerUserId = owner?.Id };

    /// <summary>Creates a key through the service, as the owner of the main workspace unless told otherwise; fails the test if that is refused.</summary>
    public static async Task<IssuedKey> CreateKeyAsync(this IWorldDatabase database, CreateKeyRequest? request = null,
        ApplicationUser? by = null, Workspace? workspace = null)
    {
        var result = await database.CallKeysAsync(keys =>
            keys.CreateAsync(database.ActorFor(by ?? database.World.Owner), (workspace ?? database.World.Workspace).Id, request ?? KeyRequest()));
        return result.Value!;
    }

    /// <summary>Runs a call of the key service as the owner of the main workspace there; fails the test if it is refused.</summary>
    public static Task<OperationResult<T>> AsOwnerAsync<T>(this IWorldDatabase database,
        Func<ApiKeyService, Actor, Guid, Task<OperationResult<T>>> call) =>
        database.CallKeysAsync(keys => call(keys, database.ActorFor(database.World.Owner), database.World.Workspace.Id));

    /// <summary>
    /// <paramref name="user"/> acting in a session they signed in to just now (a new <see cref="UserSession"/> row, as a
    /// sign-in makes): recent enough for the dangerous actions that ask for re-authentication.
    /// </summary>
    public static Actor ActorFor(this IWorldDatabase database, ApplicationUser user, string? clientAddress = "198.51.100.7") =>
        new(user.Id, user.Email!, clientAddress) { SessionId = database.AddSession(user) };

    /// <summary>A session of <paramref name="user"/>'s, signed in at <paramref name="signedInAt"/> (the clock's now unless told otherwise); its id.</summary>
    public static Guid AddSession(this IWorldDatabase database, ApplicationUser user, DateTimeOffset? signedInAt = null)
    {
        var at = signedInAt ?? database.Clock.GetUtcNow();
        var session = new UserSession
        {
            KeyHash = RandomNumberGenerator.GetBytes(32),
            UserId = user.Id,
            Ticket = [],
            SignedInAt = at,
            AuthenticatedAt = at,
            LastSeenAt = at,
            ExpiresAt = at.AddDays(14),
            UserAgent = "KeyDashboard.Tests",
        };
        using var db = database.DbFactory.CreateDbContext();
        db.UserSessions.Add(session);
        db.SaveChanges();
        return session.Id;
    }

    public static Task<KeyMatch?> LookupAsync(this IWorldDatabase database, string secret) =>
        database.Services.GetRequiredService<ApiKeyLookup>().FindAsync(secret);

    /// <summary>Whether the API would accept the secret at the fake clock's current time.</summary>
    public static async Task<bool> IsUsableNowAsync(this TestDatabase database, string secret) =>
        await database.LookupAsync(secret) is { } match && await database.IsUsableNowAsync(match);

    /// <summary>Whether the API would accept the matched key at the fake clock's current time: the authenticator decides.</summary>
    public static async Task<bool> IsUsableNowAsync(this TestDatabase database, KeyMatch match)
    {
        using var cache = new VerifiedKeyCache(database.Changes, InstanceLease.Alone(), database.Services.GetRequiredService<KeyDashboardMetrics>());
        var authenticator = new ApiKeyAuthenticator(database.Format, database.Hasher,
            new ApiKeyLookup(database.DbFactory, database.Format, database.Hasher), cache,
            new KeyUsageRecorder(database.DbFactory, database.Services.GetRequiredService<KeyDashboardMetrics>(), NullLogger<KeyUsageRecorder>.Instance), database.DbFactory,
            database.Services.GetRequiredService<KeyDashboardMetrics>(), NullLogger<ApiKeyAuthenticator>.Instance);
        return (await authenticator.CheckMatchAsync(match, database.Clock.GetUtcNow())).Key is not null;
    }

    public static async Task<ApiKey> KeyRowAsync(this IWorldDatabase database, string keyId)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        return await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == keyId);
    }

    /// <summary>Changes a key row directly, for states no service call produces now (usage, expired, a grace period over).</summary>
    public static async Task UpdateKeyRowAsync(this IWorldDatabase database, string keyId, Action<ApiKey> change)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        change(await db.ApiKeys.SingleAsync(k => k.Id == keyId));
        await db.SaveChangesAsync();
    }

    /// <summary>Records requests on days counted from the clock's today (0 today, -1 yesterday, ...).</summary>
    public static async Task AddUsageAsync(this IWorldDatabase database, string keyId, params (int DaysFromToday, long Count)[] days)
    {
        var today = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);
        await using var db = await database.DbFactory.CreateDbContextAsync();
        foreach (var (offset, count) in days)
            db.KeyUsageDays.Add(new KeyUsageDay { ApiKeyId = keyId, Day = today.AddDays(offset), Count = count });
        await db.SaveChangesAsync();
    }

    private static async Task<OperationResult<T>> CallKeysAsync<T>(this IWorldDatabase database,
        Func<ApiKeyService, Task<OperationResult<T>>> call)
    {
        await using var scope = database.Services.CreateAsyncScope();
        var result = await call(scope.ServiceProvider.GetRequiredService<ApiKeyService>());
        Assert.True(result.Succeeded, result.Message);
        return result;
    }
}
