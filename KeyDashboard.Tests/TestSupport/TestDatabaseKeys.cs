using KeyDashboard.Api.KeyAuthentication;
using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Short ways to set up and inspect keys in a <see cref="TestDatabase"/>.</summary>
public static class TestDatabaseKeys
{
    public static CreateKeyRequest KeyRequest(string name = "ci-deploy") => new() { Name = name, Scopes = ["keys:read"] };

    /// <summary>Creates a key through the service, as the owner unless told otherwise; fails the test if that is refused.</summary>
    public static async Task<IssuedKey> CreateKeyAsync(this TestDatabase database, CreateKeyRequest? request = null,
        ApplicationUser? by = null, Workspace? workspace = null)
    {
        var result = await database.KeyService().CreateAsync(database.ActorFor(by ?? database.Owner),
            (workspace ?? database.Workspace).Id, request ?? KeyRequest());
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    public static Task<KeyMatch?> LookupAsync(this TestDatabase database, string secret) =>
        new ApiKeyLookup(database.Factory, database.Format, database.Hasher).FindAsync(secret);

    /// <summary>Whether the API would accept the secret at the fake clock's current time.</summary>
    public static async Task<bool> IsUsableNowAsync(this TestDatabase database, string secret) =>
        await database.LookupAsync(secret) is { } match && await database.IsUsableNowAsync(match);

    /// <summary>Whether the API would accept the matched key at the fake clock's current time: the authenticator decides.</summary>
    public static async Task<bool> IsUsableNowAsync(this TestDatabase database, KeyMatch match)
    {
        using var cache = new VerifiedKeyCache(database.Changes);
        var authenticator = new ApiKeyAuthenticator(database.Format, database.Hasher,
            new ApiKeyLookup(database.Factory, database.Format, database.Hasher), cache,
            new KeyUsageRecorder(database.Factory, NullLogger<KeyUsageRecorder>.Instance), database.Factory,
            NullLogger<ApiKeyAuthenticator>.Instance);
        return (await authenticator.CheckMatchAsync(match, database.Clock.GetUtcNow())).Key is not null;
    }

    public static async Task<ApiKey> KeyRowAsync(this TestDatabase database, string keyId)
    {
        await using var db = await database.Factory.CreateDbContextAsync();
        return await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == keyId);
    }

    /// <summary>Changes a key row directly, for state no service call produces (usage, for instance).</summary>
    public static async Task UpdateKeyRowAsync(this TestDatabase database, string keyId, Action<ApiKey> change)
    {
        await using var db = await database.Factory.CreateDbContextAsync();
        change(await db.ApiKeys.SingleAsync(k => k.Id == keyId));
        await db.SaveChangesAsync();
    }

    /// <summary>Records requests on days counted from the fake clock's today (0 today, -1 yesterday, ...).</summary>
    public static async Task AddUsageAsync(this TestDatabase database, string keyId, params (int DaysFromToday, long Count)[] days)
    {
        var today = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);
        await using var db = await database.Factory.CreateDbContextAsync();
        foreach (var (offset, count) in days)
            db.KeyUsageDays.Add(new KeyUsageDay { ApiKeyId = keyId, Day = today.AddDays(offset), Count = count });
        await db.SaveChangesAsync();
    }

    public static async Task<List<AuditEntry>> AuditEntriesAsync(this TestDatabase database, string? action = null)
    {
        await using var db = await database.Factory.CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(a => action == null || a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }
}
