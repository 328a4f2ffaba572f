using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.Keys;

/// <summary>
/// Nobody mints more power than they hold: who may create or rotate a key owned by whom, in the dashboard and through
/// a key whose own scopes do or do not cover the key it makes. The same rules over HTTP: <c>Api/KeyPowerEndpointTests</c>.
/// </summary>
public sealed class KeyPowerTests
{
    public enum Call { Create, Rotate }
    /// <summary>A person in the dashboard, or a key holding every scope of the key in question, or one lacking one of them.</summary>
    public enum Via { Dashboard, KeyHoldingTheScopes, KeyLackingAScope }

    /// <summary>The scopes of the key created or rotated.</summary>
    public static readonly string[] KeyScopes = ["keys:read", "usage:read"];

    public static TheoryData<Call, string, string, Via> Cases()
    {
        var cases = new TheoryData<Call, string, string, Via>();
        foreach (var call in Enum.GetValues<Call>())
            foreach (var actorRole in new[] { Roles.Owner, Roles.Admin })
                foreach (var ownerRole in new[] { Roles.Owner, Roles.Admin, Roles.Member })
                    foreach (var via in Enum.GetValues<Via>())
                        cases.Add(call, actorRole, ownerRole, via);
        return cases;
    }

    /// <summary>The refusal the rules give, or null: a role above the actor's comes first, then the acting key's scopes.</summary>
    public static string? ExpectedRefusal(Call call, string actorRole, string ownerRole, Via via) =>
        Permissions.Rank(ownerRole) > Permissions.Rank(actorRole)
            ? call == Call.Create ? Permissions.CreateKeyForHigherRoleRefusal : Permissions.RotateKeyOfHigherRoleRefusal
        : via == Via.KeyLackingAScope
            ? call == Call.Create
                ? "A key can create keys only with scopes it holds itself; this key lacks usage:read."
                : "A key can rotate only keys whose scopes it holds itself; this key lacks usage:read."
        : null;

    /// <summary>What the acting key holds: <c>keys:write</c> to be let in at all, and all of <see cref="KeyScopes"/> or all but one.</summary>
    public static string[] ActingKeyScopes(Via via) => via == Via.KeyHoldingTheScopes
        ? ["keys:write", .. KeyScopes]
        : ["keys:write", "keys:read"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Creating_or_rotating_a_key_is_refused_above_the_actors_role_and_beyond_the_acting_keys_scopes(
        Call call, string actorRole, string ownerRole, Via via)
    {
        await using var database = await TestDatabase.CreateAsync();
        var actorUser = UserWith(database, actorRole);
        var owner = UserWith(database, ownerRole);
        var actor = await ActorAsync(database, actorUser, via);
        var target = call == Call.Rotate ? await database.CreateKeyAsync(WorldKeys.KeyRequest("target", KeyScopes, owner)) : null;
        var before = await DatabaseSnapshot.TakeAsync(database);

        var keys = database.KeyService();
        var result = call == Call.Create
            ? await keys.CreateAsync(actor, database.Workspace.Id, WorldKeys.KeyRequest("minted", KeyScopes, owner))
            : await keys.RotateAsync(actor, database.Workspace.Id, target!.Key.Id, RotationGrace.OneHour);

        var refusal = ExpectedRefusal(call, actorRole, ownerRole, via);
        if (refusal is null)
        {
            Assert.Equal(OperationStatus.Ok, result.Status);
            Assert.Equal(owner.Id, result.Value!.Key.OwnerUserId);
            Assert.Equal(KeyScopes, result.Value.Key.Scopes);
        }
        else
        {
            Assert.Equal((OperationStatus.Forbidden, refusal), (result.Status, result.Message));
            Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
        }
    }

    [Fact]
    public async Task An_admin_rotating_the_owners_key_in_the_dashboard_is_refused_and_the_owners_secret_stays()
    {
        await using var database = await TestDatabase.CreateAsync();
        var ownersKey = await database.CreateKeyAsync(WorldKeys.KeyRequest("owner-automation", ["keys:write", "workspace:write"]));
        var before = await DatabaseSnapshot.TakeAsync(database);

        var rotated = await database.KeyService().RotateAsync(database.ActorFor(database.Admin), database.Workspace.Id, ownersKey.Key.Id, RotationGrace.None);

        Assert.Equal((OperationStatus.Forbidden, Permissions.RotateKeyOfHigherRoleRefusal), (rotated.Status, rotated.Message));
        Assert.Null(rotated.Value);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
        Assert.True(await database.IsUsableNowAsync(ownersKey.Secret));
    }

    [Fact]
    public async Task An_admin_may_still_revoke_and_edit_the_owners_key()
    {
        await using var database = await TestDatabase.CreateAsync();
        var ownersKey = await database.CreateKeyAsync(WorldKeys.KeyRequest("owner-automation"));
        var admin = database.ActorFor(database.Admin);
        var keys = database.KeyService();

        var edited = await keys.EditAsync(admin, database.Workspace.Id, ownersKey.Key.Id, new EditKeyRequest("renamed", "by the admin"));
        var revoked = await keys.RevokeAsync(admin, database.Workspace.Id, ownersKey.Key.Id, "leaked");

        Assert.Equal(OperationStatus.Ok, edited.Status);
        Assert.Equal(OperationStatus.Ok, revoked.Status);
        Assert.False(await database.IsUsableNowAsync(ownersKey.Secret));
    }

    [Fact]
    public async Task A_key_id_of_another_workspace_holds_no_scopes_here()
    {
        await using var database = await TestDatabase.CreateAsync();
        var elsewhere = await database.CreateKeyAsync(WorldKeys.KeyRequest("elsewhere", ["keys:write", .. KeyScopes]),
            by: database.OtherAdmin, workspace: database.OtherWorkspace);
        var actor = database.ActorFor(database.Owner) with { KeyId = elsewhere.Key.Id };

        var created = await database.KeyService().CreateAsync(actor, database.Workspace.Id, WorldKeys.KeyRequest("minted", KeyScopes));

        Assert.Equal(OperationStatus.Forbidden, created.Status);
        Assert.Equal("A key can create keys only with scopes it holds itself; this key lacks keys:read, usage:read.", created.Message);
    }

    private static ApplicationUser UserWith(TestDatabase database, string role) => role switch
    {
        Roles.Owner => database.Owner,
        Roles.Admin => database.Admin,
        _ => database.Member,
    };

    /// <summary>The actor as the dashboard or the API would make it: through the API, with the id of a key the actor owns.</summary>
    private static async Task<Actor> ActorAsync(TestDatabase database, ApplicationUser user, Via via)
    {
        if (via == Via.Dashboard) return database.ActorFor(user);
        var acting = await database.CreateKeyAsync(WorldKeys.KeyRequest("acting", ActingKeyScopes(via), user));
        return database.ActorFor(user) with { KeyId = acting.Key.Id };
    }
}
