using System.Text.Json;
using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.Keys;

/// <summary>
/// Changing a key's scopes and expiry after creation, each rule written as the attack it stops: granting more than one
/// holds, pushing the expiry later or into the past, reaching another workspace's key.
/// </summary>
public sealed class KeyScopeAndExpiryEditTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task An_admin_changes_scopes_and_brings_the_expiry_forward_audited_with_old_and_new_values()
    {
        var key = await _database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync", ["keys:read", "usage:read"]));
        var earlier = key.Key.ExpiresAt!.Value.AddDays(-30);

        var result = await EditAsync(_database.Admin, key.Key, scopes: ["keys:read", "keys:write", " members:read "], expiresAt: earlier);

        Assert.Equal(OperationStatus.Ok, result.Status);
        Assert.Equal(["keys:read", "keys:write", "members:read"], result.Value!.Scopes);
        var row = await _database.KeyRowAsync(key.Key.Id);
        Assert.Equal(["keys:read", "keys:write", "members:read"], row.Scopes);
        Assert.Equal(earlier, row.ExpiresAt);
        var details = JsonDocument.Parse(Assert.Single(await _database.AuditEntriesAsync(AuditActions.KeyEdited)).Details!).RootElement;
        Assert.Equal("keys:read,usage:read", Joined(details.GetProperty("oldScopes")));
        Assert.Equal("keys:read,keys:write,members:read", Joined(details.GetProperty("scopes")));
        Assert.Equal(key.Key.ExpiresAt, details.GetProperty("oldExpiresAt").GetDateTimeOffset());
        Assert.Equal(earlier, details.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.True(await _database.IsUsableNowAsync(key.Secret));
    }

    [Fact]
    public async Task An_admin_cannot_add_a_scope_only_owners_hold_even_to_an_owners_key()
    {
        var ownersKey = await _database.CreateKeyAsync(WorldKeys.KeyRequest("owner-automation", ["keys:read"]));
        var before = await DatabaseSnapshot.TakeAsync(_database);

        var result = await EditAsync(_database.Admin, ownersKey.Key, scopes: ["keys:read", "workspace:write", "members:delete"]);

        Assert.Equal(OperationStatus.Forbidden, result.Status);
        Assert.Equal("You can grant only what your role allows: an admin may not workspace:write.", result.Message);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(_database));
    }

    [Fact]
    public async Task No_one_adds_a_scope_no_role_may_use_but_a_key_holding_one_keeps_it_through_other_edits()
    {
        var key = await _database.CreateKeyAsync(WorldKeys.KeyRequest("legacy", ["keys:read", "audit:write"]));

        var adding = await EditAsync(_database.Owner, key.Key, scopes: ["keys:read", "audit:write", "audit:delete"]);
        var keeping = await EditAsync(_database.Owner, key.Key, scopes: ["keys:read", "audit:write", "usage:read"]);

        Assert.Equal((OperationStatus.Forbidden, "You can grant only what your role allows: an owner may not audit:delete."), (adding.Status, adding.Message));
        Assert.Equal(OperationStatus.Ok, keeping.Status);
        Assert.Equal(["audit:write", "keys:read", "usage:read"], (await _database.KeyRowAsync(key.Key.Id)).Scopes);
    }

    [Fact]
    public async Task Removing_scopes_needs_only_the_right_to_manage_keys()
    {
        var ownersKey = await _database.CreateKeyAsync(WorldKeys.KeyRequest("owner-automation", ["keys:read", "workspace:write"]));

        var result = await EditAsync(_database.Admin, ownersKey.Key, scopes: ["keys:read"]);

        Assert.Equal(OperationStatus.Ok, result.Status);
        Assert.Equal(["keys:read"], (await _database.KeyRowAsync(ownersKey.Key.Id)).Scopes);
    }

    [Fact]
    public async Task A_member_can_change_nothing()
    {
        var key = await _database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync", ["keys:read"], _database.Member));
        var before = await DatabaseSnapshot.TakeAsync(_database);

        var scopes = await EditAsync(_database.Member, key.Key, scopes: ["usage:read"]);
        var expiry = await EditAsync(_database.Member, key.Key, expiresAt: key.Key.ExpiresAt!.Value.AddDays(-1));

        Assert.All([scopes, expiry], r => Assert.Equal(OperationStatus.Forbidden, r.Status));
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(_database));
    }

    [Theory]
    [InlineData(1, "Expiry can only be brought forward")]
    [InlineData(365 * 5, "Expiry can only be brought forward")]
    [InlineData(-400, "The expiry date must be in the future")]
    public async Task The_expiry_cannot_be_pushed_later_or_into_the_past(int daysFromExpiry, string refusal)
    {
        var key = await _database.CreateKeyAsync();
        var before = await DatabaseSnapshot.TakeAsync(_database);

        var result = await EditAsync(_database.Owner, key.Key, expiresAt: key.Key.ExpiresAt!.Value.AddDays(daysFromExpiry));

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.StartsWith(refusal, Assert.Single(result.Errors["expiresAt"]));
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(_database));
    }

    [Fact]
    public async Task An_expired_key_cannot_be_given_a_new_expiry()
    {
        var key = await _database.CreateKeyAsync();
        _database.Clock.SetUtcNow(key.Key.ExpiresAt!.Value.AddDays(1));

        var result = await EditAsync(_database.Owner, key.Key, expiresAt: _database.Clock.GetUtcNow().AddDays(1));

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.False(await _database.IsUsableNowAsync(key.Secret));
    }

    [Fact]
    public async Task A_key_that_never_expires_can_be_given_an_expiry()
    {
        await _database.UpdateWorkspaceAsync(_database.Workspace, w => w.AllowNeverExpiringKeys = true);
        var key = await _database.CreateKeyAsync(WorldKeys.KeyRequest() with { NeverExpires = true });
        var at = _database.Clock.GetUtcNow().AddDays(10);

        var result = await EditAsync(_database.Owner, key.Key, expiresAt: at);

        Assert.Equal(at, result.Value!.ExpiresAt);
    }

    [Theory]
    [InlineData(new string[0], "Choose at least one scope.")]
    [InlineData(new[] { "keys:read", "rockets:launch" }, "Unknown scopes: rockets:launch.")]
    public async Task Empty_or_unknown_scopes_are_refused_and_nothing_changes(string[] scopes, string error)
    {
        var key = await _database.CreateKeyAsync();
        var before = await DatabaseSnapshot.TakeAsync(_database);

        var result = await EditAsync(_database.Owner, key.Key, scopes: scopes);

        Assert.Equal((OperationStatus.Invalid, error), (result.Status, Assert.Single(result.Errors["scopes"])));
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(_database));
    }

    [Fact]
    public async Task A_key_of_another_workspace_is_not_found()
    {
        var theirs = await _database.CreateKeyAsync(WorldKeys.KeyRequest("other-app", ["keys:read"]), _database.OtherAdmin, _database.OtherWorkspace);

        var result = await EditAsync(_database.Owner, theirs.Key, scopes: ["keys:read", "keys:write"]);

        Assert.Equal(OperationStatus.NotFound, result.Status);
        Assert.Equal(["keys:read"], (await _database.KeyRowAsync(theirs.Key.Id)).Scopes);
    }

    [Fact]
    public void The_owner_warning_names_the_scopes_the_owners_role_can_never_use()
    {
        Assert.Equal(["keys:delete", "keys:write"], ApiKeyRules.ScopesOwnerCannotUse(Roles.Member, ["keys:read", "keys:write", "keys:delete"]));
        Assert.Null(ApiKeyRules.OwnerCannotUseWarning("owner@acme.test", Roles.Owner, ["keys:write"]));
        Assert.Equal("The key acts as member@acme.test, a member, whose role can never use keys:write: the API refuses those calls while the role stays.",
            ApiKeyRules.OwnerCannotUseWarning("member@acme.test", Roles.Member, ["keys:read", "keys:write"]));
    }

    private Task<OperationResult<KeySummary>> EditAsync(KeyDashboard.Data.ApplicationUser editor, KeySummary key,
        IReadOnlyCollection<string>? scopes = null, DateTimeOffset? expiresAt = null) =>
        _database.KeyService().EditAsync(_database.ActorFor(editor), _database.Workspace.Id, key.Id,
            new EditKeyRequest(key.Name, key.Description, scopes, expiresAt));

    private static string Joined(JsonElement array) => string.Join(',', array.EnumerateArray().Select(e => e.GetString()));
}
