using System.Text.Json;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Api;

/// <summary>
/// The app over HTTP with a workspace "Acme" (owner, admin, member) and "Other", and API keys in every state
/// an integration may present. Keys are made through the app's own services; states no request produces
/// yet (expired, a grace period that has run out) are set on the row before the key is ever used.
/// </summary>
public sealed class ApiTestApp : IAsyncLifetime
{
    public static readonly string[] AllScopes = ["audit:read", "keys:delete", "keys:read", "keys:write", "members:read", "usage:read", "workspace:read"];

    // Rate limits stay out of the way: these tests make many calls, many of them with bad keys, from one address.
    public ApiAppFactory Factory { get; } = new() { SeedDemoData = false };
    public Workspace Workspace { get; private set; } = null!;
    public Workspace OtherWorkspace { get; private set; } = null!;
    public ApplicationUser Owner { get; private set; } = null!;
    public ApplicationUser Admin { get; private set; } = null!;
    public ApplicationUser Member { get; private set; } = null!;
    public ApplicationUser OtherOwner { get; private set; } = null!;

    /// <summary>The owner's key with every built-in read, write and delete scope the endpoints need.</summary>
    public IssuedKey OwnerKey { get; private set; } = null!;
    public IssuedKey AdminKey { get; private set; } = null!;
    /// <summary>A member's key holding every scope, writes included: the role must still refuse the writes.</summary>
    public IssuedKey MemberKeyWithWriteScopes { get; private set; } = null!;
    /// <summary>Only <c>workspace:read</c>: lacks every scope the endpoints here ask for.</summary>
    public IssuedKey KeyWithoutScopes { get; private set; } = null!;
    public IssuedKey OtherWorkspaceKey { get; private set; } = null!;
    public string ExpiredSecret { get; private set; } = null!;
    public string RevokedSecret { get; private set; } = null!;
    public string RotatedWithinGraceOldSecret { get; private set; } = null!;
    public string RotatedAfterGraceOldSecret { get; private set; } = null!;

    public IServiceProvider Services => Factory.Services;

    public async Task InitializeAsync()
    {
        _ = Factory.Server;
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Owner = await CreateUserAsync(users, "owner@acme.test");
        Admin = await CreateUserAsync(users, "admin@acme.test");
        Member = await CreateUserAsync(users, "member@acme.test");
        OtherOwner = await CreateUserAsync(users, "owner@other.test");

        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            var now = DateTimeOffset.UtcNow;
            Workspace = new Workspace { Name = "Acme", Plan = WorkspacePlan.Paid, CreatedAt = now };
            OtherWorkspace = new Workspace { Name = "Other", Plan = WorkspacePlan.Free, CreatedAt = now };
            db.Workspaces.AddRange(Workspace, OtherWorkspace);
            db.Memberships.AddRange(
                new Membership { WorkspaceId = Workspace.Id, UserId = Owner.Id, Role = Roles.Owner, JoinedAt = now },
                new Membership { WorkspaceId = Workspace.Id, UserId = Admin.Id, Role = Roles.Admin, JoinedAt = now },
                new Membership { WorkspaceId = Workspace.Id, UserId = Member.Id, Role = Roles.Member, JoinedAt = now },
                new Membership { WorkspaceId = OtherWorkspace.Id, UserId = OtherOwner.Id, Role = Roles.Owner, JoinedAt = now });
            await db.SaveChangesAsync();
        }

        OwnerKey = await CreateKeyAsync("owner-all", AllScopes);
        AdminKey = await CreateKeyAsync("admin-all", AllScopes, owner: Admin);
        MemberKeyWithWriteScopes = await CreateKeyAsync("member-all", AllScopes, owner: Member);
        KeyWithoutScopes = await CreateKeyAsync("workspace-reader", ["workspace:read"]);
        OtherWorkspaceKey = await CreateKeyAsync("other-all", AllScopes, by: OtherOwner, workspace: OtherWorkspace);

        var expired = await CreateKeyAsync("expired", AllScopes);
        await UpdateKeyRowAsync(expired.Key.Id, k => k.ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1));
        ExpiredSecret = expired.Secret;

        var revoked = await CreateKeyAsync("revoked", AllScopes);
        Assert.True((await KeyService(scope).RevokeAsync(ActorFor(Owner), Workspace.Id, revoked.Key.Id, "test")).Succeeded);
        RevokedSecret = revoked.Secret;

        var withinGrace = await CreateKeyAsync("rotated-within-grace", AllScopes);
        Assert.True((await KeyService(scope).RotateAsync(ActorFor(Owner), Workspace.Id, withinGrace.Key.Id, RotationGrace.SevenDays)).Succeeded);
        RotatedWithinGraceOldSecret = withinGrace.Secret;

        var afterGrace = await CreateKeyAsync("rotated-after-grace", AllScopes);
        Assert.True((await KeyService(scope).RotateAsync(ActorFor(Owner), Workspace.Id, afterGrace.Key.Id, RotationGrace.OneHour)).Succeeded);
        await UpdateKeyRowAsync(afterGrace.Key.Id, k => k.PreviousSecretValidUntil = DateTimeOffset.UtcNow.AddMinutes(-1));
        RotatedAfterGraceOldSecret = afterGrace.Secret;
    }

    /// <summary>A new account with <paramref name="role"/> in Acme.</summary>
    public async Task<ApplicationUser> AddMemberAsync(string role)
    {
        await using var scope = Services.CreateAsyncScope();
        var user = await CreateUserAsync(scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>(), $"{Guid.NewGuid():N}@acme.test");
        await using var db = await DbFactory.CreateDbContextAsync();
        db.Memberships.Add(new Membership { WorkspaceId = Workspace.Id, UserId = user.Id, Role = role, JoinedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return user;
    }

    public IDbContextFactory<AppDbContext> DbFactory => Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
    public ApiKeyFormat Format => Services.GetRequiredService<ApiKeyFormat>();

    public Actor ActorFor(ApplicationUser user) => new(user.Id, user.Email!, "198.51.100.7");

    /// <summary>A key made through the service, as the owner of Acme unless told otherwise.</summary>
    public async Task<IssuedKey> CreateKeyAsync(string name, IReadOnlyCollection<string>? scopes = null, ApplicationUser? owner = null,
        ApplicationUser? by = null, Workspace? workspace = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var request = new CreateKeyRequest { Name = name, Scopes = scopes ?? ["keys:read"], OwnerUserId = (owner ?? by ?? Owner).Id };
        var result = await KeyService(scope).CreateAsync(ActorFor(by ?? Owner), (workspace ?? Workspace).Id, request);
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    public HttpClient Client(string? bearer = null, string clientAddress = ApiAppFactory.DefaultClientAddress) =>
        Factory.ApiClient(bearer, clientAddress);

    public async Task<ApiKey?> KeyRowAsync(string keyId)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        return await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId);
    }

    /// <summary>
    /// What a request could change, usage aside: every key's stored fields and the audit log, less the entries
    /// that record a revoked key being presented (authentication writes those, on purpose).
    /// </summary>
    public async Task<string> StateAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id)
            .Select(k => new { k.Id, k.WorkspaceId, k.Name, k.Description, k.Scopes, k.SecretHash, k.PreviousSecretHash, k.ExpiresAt, k.RevokedAt, k.ConcurrencyStamp })
            .ToListAsync();
        var auditCount = await db.AuditEntries.CountAsync(e => e.Action != KeyDashboard.Audit.AuditActions.RevokedKeyUsed);
        return JsonSerializer.Serialize(new { keys, auditCount });
    }

    /// <summary>How many keys and audit entries there are: cheaper than <see cref="StateAsync"/> for "created nothing".</summary>
    public async Task<string> CountsAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        return $"{await db.ApiKeys.CountAsync()} keys, {await db.AuditEntries.CountAsync(e => e.Action != KeyDashboard.Audit.AuditActions.RevokedKeyUsed)} audit entries";
    }

    private async Task UpdateKeyRowAsync(string keyId, Action<ApiKey> change)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        change(await db.ApiKeys.SingleAsync(k => k.Id == keyId));
        await db.SaveChangesAsync();
    }

    private static ApiKeyService KeyService(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<ApiKeyService>();

    private static async Task<ApplicationUser> CreateUserAsync(UserManager<ApplicationUser> users, string email)
    {
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
        var result = await users.CreateAsync(user, AccountForms.DemoPassword);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
