using System.Security.Cryptography;
using KeyDashboard.Audit;
using KeyDashboard.AuditLog;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Sessions;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Sessions;

/// <summary>
/// The dangerous actions need a session authenticated within 15 minutes, read from the session's row: what the services
/// refuse, what a confirmation changes, and the ways around it that don't work.
/// </summary>
public sealed class ReauthenticationTests
{
    private static readonly TimeSpan SixteenMinutes = TimeSpan.FromMinutes(16);

    /// <summary>Each dangerous action, as the owner of the main workspace: the arrange step runs before the session goes stale.</summary>
    public enum DangerousAction { CreateLiveKey, RotateLiveKey, WidenLiveKey, ChangeRole, ChangePlan, ChangePolicy, ExportAuditLog }

    [Fact]
    public async Task A_fresh_session_creates_a_live_key_and_one_older_than_fifteen_minutes_is_asked_to_confirm()
    {
        await using var database = await TestDatabase.CreateAsync();
        var owner = database.ActorFor(database.Owner);

        Assert.True((await CreateLiveKeyAsync(database, owner, "at-sign-in")).Succeeded);
        database.Clock.Advance(Reauthentication.Window);
        Assert.True((await CreateLiveKeyAsync(database, owner, "at-fifteen-minutes")).Succeeded);

        database.Clock.Advance(TimeSpan.FromSeconds(1));
        var before = await DatabaseSnapshot.TakeAsync(database);
        var refused = await CreateLiveKeyAsync(database, owner, "a-second-later");

        Assert.Equal((OperationStatus.ReauthenticationRequired, "Confirm it's you to continue."), (refused.Status, refused.Message));
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Theory]
    [InlineData(DangerousAction.CreateLiveKey)]
    [InlineData(DangerousAction.RotateLiveKey)]
    [InlineData(DangerousAction.WidenLiveKey)]
    [InlineData(DangerousAction.ChangeRole)]
    [InlineData(DangerousAction.ChangePlan)]
    [InlineData(DangerousAction.ChangePolicy)]
    [InlineData(DangerousAction.ExportAuditLog)]
    public async Task Sixteen_minutes_after_sign_in_each_dangerous_action_is_refused_and_changes_nothing(DangerousAction action)
    {
        await using var database = await TestDatabase.CreateAsync();
        var owner = database.ActorFor(database.Owner);
        var run = await ArrangeAsync(database, action);
        database.Clock.Advance(SixteenMinutes);
        var before = await Everything(database);

        var refused = await run(owner);

        Assert.Equal(OperationStatus.ReauthenticationRequired, refused);
        Assert.Equal(before, await Everything(database));
    }

    [Theory]
    [InlineData(DangerousAction.CreateLiveKey)]
    [InlineData(DangerousAction.RotateLiveKey)]
    [InlineData(DangerousAction.WidenLiveKey)]
    [InlineData(DangerousAction.ChangeRole)]
    [InlineData(DangerousAction.ChangePlan)]
    [InlineData(DangerousAction.ChangePolicy)]
    [InlineData(DangerousAction.ExportAuditLog)]
    public async Task After_confirming_with_the_password_each_dangerous_action_goes_through(DangerousAction action)
    {
        await using var database = await TestDatabase.CreateAsync();
        var owner = database.ActorFor(database.Owner);
        var run = await ArrangeAsync(database, action);
        database.Clock.Advance(SixteenMinutes);

        var confirmed = await ReauthenticationService(database).ConfirmAsync(owner, TestWorld.Password);

        Assert.True(confirmed.Succeeded, confirmed.Message);
        Assert.Equal(OperationStatus.Ok, await run(owner));
    }

    [Fact]
    public async Task Actions_that_hand_out_no_live_power_are_not_asked()
    {
        await using var database = await TestDatabase.CreateAsync();
        var owner = database.ActorFor(database.Owner);
        var live = await CreateLiveKeyAsync(database, owner, "prod-main-app");
        database.Clock.Advance(TimeSpan.FromHours(2));
        var keys = database.KeyService();

        var testKey = await keys.CreateAsync(owner, database.Workspace.Id, WorldKeys.KeyRequest("ci-deploy"));
        Assert.True(testKey.Succeeded, testKey.Message);
        Assert.True((await keys.RotateAsync(owner, database.Workspace.Id, testKey.Value!.Key.Id, RotationGrace.None)).Succeeded);
        Assert.True((await keys.EditAsync(owner, database.Workspace.Id, live.Value!.Key.Id, new EditKeyRequest("prod-app", ""))).Succeeded);
        Assert.True((await keys.RevokeAsync(owner, database.Workspace.Id, live.Value.Key.Id, "retired")).Succeeded);
        Assert.True((await database.SettingsService().RenameAsync(owner, database.Workspace.Id, "Acme Inc")).Succeeded);
        // Choosing what is already set changes nothing, so there is nothing to confirm.
        Assert.True((await database.SettingsService().ChangePlanAsync(owner, database.Workspace.Id, WorkspacePlan.Paid)).Succeeded);
    }

    [Fact]
    public async Task The_right_password_marks_the_session_authenticated_now_and_is_audited_in_the_users_workspaces()
    {
        await using var database = await TestDatabase.CreateAsync();
        var admin = database.ActorFor(database.OtherAdmin);
        database.Clock.Advance(SixteenMinutes);

        var confirmed = await ReauthenticationService(database).ConfirmAsync(admin, TestWorld.Password);

        Assert.True(confirmed.Succeeded, confirmed.Message);
        Assert.Equal(database.Clock.GetUtcNow(), (await SessionAsync(database, admin.SessionId!.Value)).AuthenticatedAt);
        var entry = Assert.Single(await EntriesAsync(database, AuditActions.Reauthenticated));
        Assert.Equal((database.OtherWorkspace.Id, AuditActorType.User, database.OtherAdmin.Id, "session", admin.SessionId.ToString(), "198.51.100.7"),
            (entry.WorkspaceId, entry.ActorType, entry.ActorId, entry.TargetType, entry.TargetId, entry.ClientAddress));
        Assert.Equal("""{"method":"password"}""", entry.Details);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_counted_towards_lockout_and_audited_and_the_session_stays_old()
    {
        await using var database = await TestDatabase.CreateAsync();
        var owner = database.ActorFor(database.Owner);
        var signedInAt = database.Clock.GetUtcNow();
        database.Clock.Advance(SixteenMinutes);

        var refused = await ReauthenticationService(database).ConfirmAsync(owner, "Not-the-password-1");

        Assert.Equal((OperationStatus.Invalid, "That password or code is not right."), (refused.Status, refused.Message));
        Assert.Equal(["password"], refused.Errors.Keys);
        Assert.Equal(signedInAt, (await SessionAsync(database, owner.SessionId!.Value)).AuthenticatedAt);
        Assert.Equal(1, (await UserAsync(database, database.Owner.Id)).AccessFailedCount);
        var entry = Assert.Single(await EntriesAsync(database, AuditActions.ReauthenticationFailed));
        Assert.Equal((database.Workspace.Id, database.Owner.Id), (entry.WorkspaceId, entry.ActorId));
        Assert.Equal(OperationStatus.ReauthenticationRequired, (await CreateLiveKeyAsync(database, owner, "still-refused")).Status);
    }

    [Fact]
    public async Task Wrong_passwords_up_to_the_lockout_limit_lock_the_account_and_then_the_right_one_is_refused_too()
    {
        await using var database = await TestDatabase.CreateAsync();
        var owner = database.ActorFor(database.Owner);
        database.Clock.Advance(SixteenMinutes);
        var reauthentication = ReauthenticationService(database);
        var limit = database.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.Lockout.MaxFailedAccessAttempts;

        for (var attempt = 1; attempt < limit; attempt++)
            Assert.Equal(OperationStatus.Invalid, (await reauthentication.ConfirmAsync(owner, $"Wrong-password-{attempt}")).Status);
        var last = await reauthentication.ConfirmAsync(owner, "Wrong-password-last");
        var right = await reauthentication.ConfirmAsync(owner, TestWorld.Password);

        Assert.Equal((OperationStatus.Forbidden, Reauthentication.LockedOutMessage), (last.Status, last.Message));
        Assert.Equal((OperationStatus.Forbidden, Reauthentication.LockedOutMessage), (right.Status, right.Message));
        Assert.Single(await EntriesAsync(database, AuditActions.LockedOut));
        Assert.Equal(OperationStatus.ReauthenticationRequired, (await CreateLiveKeyAsync(database, owner, "still-refused")).Status);
    }

    [Fact]
    public async Task A_code_from_the_authenticator_app_confirms_too()
    {
        await using var database = await TestDatabase.CreateAsync();
        var authenticatorKey = await TurnOnTwoFactorAsync(database, database.Owner);
        var owner = database.ActorFor(database.Owner);
        database.Clock.Advance(SixteenMinutes);

        var wrongCode = await ReauthenticationService(database).ConfirmAsync(owner, WrongCode(AuthenticatorApp.Code(authenticatorKey)));
        var confirmed = await ReauthenticationService(database).ConfirmAsync(owner, AuthenticatorApp.Code(authenticatorKey));

        Assert.Equal(OperationStatus.Invalid, wrongCode.Status);
        Assert.True(confirmed.Succeeded, confirmed.Message);
        Assert.Equal("""{"method":"authenticator"}""", Assert.Single(await EntriesAsync(database, AuditActions.Reauthenticated)).Details);
        Assert.True((await CreateLiveKeyAsync(database, owner, "confirmed-by-code")).Succeeded);
    }

    [Fact]
    public async Task Another_users_fresh_session_does_not_count_and_confirming_in_it_refreshes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var adminsSession = database.AddSession(database.Admin);
        // The owner, claiming the admin's session: as if a session id could be copied from one principal into another.
        var owner = database.ActorFor(database.Owner) with { SessionId = adminsSession };
        var before = (await SessionAsync(database, adminsSession)).AuthenticatedAt;
        database.Clock.Advance(TimeSpan.FromMinutes(1));

        var refused = await CreateLiveKeyAsync(database, owner, "borrowed-session");
        var confirm = await ReauthenticationService(database).ConfirmAsync(owner, TestWorld.Password);

        Assert.Equal(OperationStatus.ReauthenticationRequired, refused.Status);
        Assert.Equal((OperationStatus.Forbidden, Reauthentication.NoSessionMessage), (confirm.Status, confirm.Message));
        Assert.Equal(before, (await SessionAsync(database, adminsSession)).AuthenticatedAt);
    }

    [Fact]
    public async Task No_session_id_or_an_ended_session_is_never_recent()
    {
        await using var database = await TestDatabase.CreateAsync();
        var withoutSession = database.ActorFor(database.Owner) with { SessionId = null };
        var ended = database.ActorFor(database.Owner);
        await using (var db = await database.DbFactory.CreateDbContextAsync())
            await db.UserSessions.Where(s => s.Id == ended.SessionId).ExecuteDeleteAsync();

        Assert.Equal(OperationStatus.ReauthenticationRequired, (await CreateLiveKeyAsync(database, withoutSession, "no-session")).Status);
        Assert.Equal(OperationStatus.ReauthenticationRequired, (await CreateLiveKeyAsync(database, ended, "ended-session")).Status);
        Assert.Equal(OperationStatus.Forbidden, (await ReauthenticationService(database).ConfirmAsync(ended, TestWorld.Password)).Status);
    }

    [Fact]
    public async Task A_live_key_is_never_asked_and_a_test_key_may_not_create_or_rotate_a_live_key()
    {
        await using var database = await TestDatabase.CreateAsync();
        var liveKey = await database.CreateKeyAsync(WorldKeys.KeyRequest("live-automation", ["keys:read", "keys:write"]) with { Environment = KeyEnvironment.Live });
        var testKey = await database.CreateKeyAsync(WorldKeys.KeyRequest("test-automation", ["keys:read", "keys:write"]));
        var target = await database.CreateKeyAsync(WorldKeys.KeyRequest("live-target") with { Environment = KeyEnvironment.Live });
        database.Clock.Advance(TimeSpan.FromDays(1));
        var keys = database.KeyService();
        Actor Through(IssuedKey key) => new(database.Owner.Id, key.Key.Name) { KeyId = key.Key.Id };

        var byLiveKey = await keys.CreateAsync(Through(liveKey), database.Workspace.Id, WorldKeys.KeyRequest("minted") with { Environment = KeyEnvironment.Live });
        var rotatedByLiveKey = await keys.RotateAsync(Through(liveKey), database.Workspace.Id, target.Key.Id, RotationGrace.None);
        var byTestKey = await keys.CreateAsync(Through(testKey), database.Workspace.Id, WorldKeys.KeyRequest("minted-by-test") with { Environment = KeyEnvironment.Live });
        var rotatedByTestKey = await keys.RotateAsync(Through(testKey), database.Workspace.Id, target.Key.Id, RotationGrace.None);

        Assert.True(byLiveKey.Succeeded, byLiveKey.Message);
        Assert.True(rotatedByLiveKey.Succeeded, rotatedByLiveKey.Message);
        Assert.Equal((OperationStatus.Forbidden, Permissions.LiveKeyThroughTestKeyRefusal), (byTestKey.Status, byTestKey.Message));
        Assert.Equal((OperationStatus.Forbidden, Permissions.LiveKeyThroughTestKeyRefusal), (rotatedByTestKey.Status, rotatedByTestKey.Message));
    }

    private static Reauthentication ReauthenticationService(TestDatabase database) => database.Services.GetRequiredService<Reauthentication>();

    private static Task<OperationResult<IssuedKey>> CreateLiveKeyAsync(TestDatabase database, Actor actor, string name) =>
        database.KeyService().CreateAsync(actor, database.Workspace.Id, WorldKeys.KeyRequest(name) with { Environment = KeyEnvironment.Live });

    /// <summary>Sets up <paramref name="action"/> while the session is fresh; returns the call, as the owner, and its outcome.</summary>
    private static async Task<Func<Actor, Task<OperationStatus>>> ArrangeAsync(TestDatabase database, DangerousAction action)
    {
        var workspace = database.Workspace.Id;
        switch (action)
        {
            case DangerousAction.CreateLiveKey:
                return async owner => (await CreateLiveKeyAsync(database, owner, "prod-main-app")).Status;
            case DangerousAction.RotateLiveKey:
                var live = await database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app") with { Environment = KeyEnvironment.Live });
                return async owner => (await database.KeyService().RotateAsync(owner, workspace, live.Key.Id, RotationGrace.OneHour)).Status;
            case DangerousAction.WidenLiveKey:
                var narrow = await database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app", ["keys:read"]) with { Environment = KeyEnvironment.Live });
                return async owner => (await database.KeyService().EditAsync(owner, workspace, narrow.Key.Id,
                    new EditKeyRequest(narrow.Key.Name, narrow.Key.Description, ["keys:read", "keys:write"]))).Status;
            case DangerousAction.ChangeRole:
                return async owner => (await database.MembershipService().ChangeRoleAsync(owner, workspace, database.Member.Id, Roles.Admin)).Status;
            case DangerousAction.ChangePlan:
                return async owner => (await database.SettingsService().ChangePlanAsync(owner, workspace, WorkspacePlan.Free)).Status;
            case DangerousAction.ChangePolicy:
                return async owner => (await database.SettingsService().ChangePolicyAsync(owner, workspace, new KeyPolicy(30, 90, false))).Status;
            default:
                return async owner => (await database.Services.GetRequiredService<AuditLogQuery>().ExportAsync(owner, workspace, new AuditFilter())).Status;
        }
    }

    /// <summary>Keys, audit entries, memberships and workspaces: equal means nothing changed.</summary>
    private static async Task<string> Everything(TestDatabase database) =>
        $"{await DatabaseSnapshot.TakeAsync(database)} {await database.MembershipSnapshotAsync()}";

    private static async Task<UserSession> SessionAsync(TestDatabase database, Guid id)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        return await db.UserSessions.AsNoTracking().SingleAsync(s => s.Id == id);
    }

    private static async Task<ApplicationUser> UserAsync(TestDatabase database, string id)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == id);
    }

    private static async Task<List<AuditEntry>> EntriesAsync(TestDatabase database, string action)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action == action).ToListAsync();
    }

    /// <summary>Turns on two-factor authentication as the authenticator page does; returns the key the user's app holds.</summary>
    internal static async Task<string> TurnOnTwoFactorAsync(TestDatabase database, ApplicationUser user)
    {
        await using var scope = database.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var account = (await users.FindByIdAsync(user.Id))!;
        await users.ResetAuthenticatorKeyAsync(account);
        await users.SetTwoFactorEnabledAsync(account, true);
        return (await users.GetAuthenticatorKeyAsync(account))!;
    }

    private static string WrongCode(string code) => ((int.Parse(code) + 500_000) % 1_000_000).ToString("D6");
}
