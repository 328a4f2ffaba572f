using System.Text.Json;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.Keys;

public sealed class KeyCreationTests
{
    private static readonly Dictionary<string, (Func<TestDatabase, CreateKeyRequest> Request, string Field)> InvalidRequests = new()
    {
        ["blank name"] = (_ => Request() with { Name = "   " }, "name"),
        ["missing name"] = (_ => Request() with { Name = null }, "name"),
        ["name of 101 characters"] = (_ => Request() with { Name = new string('n', 101) }, "name"),
        ["tab inside the name"] = (_ => Request() with { Name = "ci\tdeploy" }, "name"),
        ["line break inside the name"] = (_ => Request() with { Name = "ci\ndeploy" }, "name"),
        ["null character in the name"] = (_ => Request() with { Name = "ci\0deploy" }, "name"),
        ["description of 501 characters"] = (_ => Request() with { Description = new string('d', 501) }, "description"),
        ["bell character in the description"] = (_ => Request() with { Description = "ring \a" }, "description"),
        ["no scopes"] = (_ => Request() with { Scopes = [] }, "scopes"),
        ["blank scope"] = (_ => Request() with { Scopes = [" "] }, "scopes"),
        ["unknown action"] = (_ => Request() with { Scopes = ["keys:admin"] }, "scopes"),
        ["unknown resource"] = (_ => Request() with { Scopes = ["nope:read"] }, "scopes"),
        ["action the resource does not offer"] = (_ => Request() with { Scopes = ["integrations:write"] }, "scopes"),
        ["one unknown scope among known ones"] = (_ => Request() with { Scopes = ["keys:read", "keys:admin"] }, "scopes"),
        ["outsider as owner"] = (db => Request() with { OwnerUserId = db.Outsider.Id }, "ownerUserId"),
        ["other workspace's admin as owner"] = (db => Request() with { OwnerUserId = db.OtherAdmin.Id }, "ownerUserId"),
        ["unknown user as owner"] = (_ => Request() with { OwnerUserId = "no-such-user" }, "ownerUserId"),
        ["expiry in the past"] = (db => Request() with { ExpiresAt = db.Clock.GetUtcNow().AddSeconds(-1) }, "expiresAt"),
        ["expiry right now"] = (db => Request() with { ExpiresAt = db.Clock.GetUtcNow() }, "expiresAt"),
        ["expiry a tick beyond the longest lifetime"] = (db => Request() with { ExpiresAt = db.Clock.GetUtcNow().AddDays(365).AddTicks(1) }, "expiresAt"),
        ["never expires against the policy"] = (_ => Request() with { NeverExpires = true }, "expiresAt"),
        ["undefined environment"] = (_ => Request() with { Environment = (KeyEnvironment)7 }, "environment"),
    };

    public static TheoryData<string> InvalidRequestNames => new(InvalidRequests.Keys);

    [Theory]
    [MemberData(nameof(InvalidRequestNames))]
    public async Task An_invalid_request_is_refused_and_writes_nothing(string name)
    {
        await using var database = await TestDatabase.CreateAsync();
        var (request, field) = InvalidRequests[name];
        var before = await DatabaseSnapshot.TakeAsync(database);

        var result = await CreateAsync(database, request(database));

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.Equal([field], result.Errors.Keys);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Fact]
    public async Task The_name_is_trimmed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(Request() with { Name = "  prod-main-app  " });
        Assert.Equal("prod-main-app", key.Key.Name);
        Assert.Equal("prod-main-app", (await database.KeyRowAsync(key.Key.Id)).Name);
    }

    [Fact]
    public async Task Names_of_one_and_a_hundred_characters_and_descriptions_of_five_hundred_are_accepted()
    {
        await using var database = await TestDatabase.CreateAsync();
        var longest = await database.CreateKeyAsync(Request() with { Name = new string('n', 100), Description = new string('d', 500) });
        var shortest = await database.CreateKeyAsync(Request() with { Name = "x", Description = "line one\nline two\twith a tab" });

        Assert.Equal(100, longest.Key.Name.Length);
        Assert.Equal(500, longest.Key.Description.Length);
        Assert.Equal("x", shortest.Key.Name);
    }

    [Fact]
    public async Task Scopes_are_trimmed_deduplicated_and_may_come_from_the_configured_resources()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(Request() with
        {
            Scopes = ["keys:read", " keys:read ", "keys:read", "integrations:read", "teammates:delete"],
        });
        Assert.Equal(["integrations:read", "keys:read", "teammates:delete"], key.Key.Scopes);
        Assert.Equal(["integrations:read", "keys:read", "teammates:delete"], (await database.KeyRowAsync(key.Key.Id)).Scopes);
    }

    [Fact]
    public async Task An_admin_may_create_a_key_owned_by_another_member()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(Request() with { OwnerUserId = database.Member.Id }, by: database.Admin);

        var row = await database.KeyRowAsync(key.Key.Id);
        Assert.Equal(database.Member.Id, row.OwnerUserId);
        Assert.Equal(database.Admin.Id, row.CreatedByUserId);
        Assert.Equal("member@acme.test", key.Key.OwnerName);
    }

    [Fact]
    public async Task Without_an_owner_the_key_belongs_to_its_creator()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(by: database.Admin);
        Assert.Equal(database.Admin.Id, key.Key.OwnerUserId);
    }

    [Fact]
    public async Task A_free_workspace_gets_test_keys_but_no_live_keys()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.UpdateWorkspaceAsync(database.Workspace, w => w.Plan = WorkspacePlan.Free);
        var before = await DatabaseSnapshot.TakeAsync(database);

        var live = await CreateAsync(database, Request() with { Environment = KeyEnvironment.Live });

        Assert.Equal(OperationStatus.Invalid, live.Status);
        Assert.Contains("Upgrade required", Assert.Single(live.Errors["environment"]));
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
        var test = await database.CreateKeyAsync(Request() with { Environment = KeyEnvironment.Test });
        Assert.StartsWith("kd_test_", test.Secret);
    }

    [Fact]
    public async Task A_paid_workspace_gets_live_keys()
    {
        await using var database = await TestDatabase.CreateAsync();
        var live = await database.CreateKeyAsync(Request() with { Environment = KeyEnvironment.Live });
        Assert.StartsWith("kd_live_", live.Secret);
        Assert.Equal(KeyEnvironment.Live, live.Key.Environment);
    }

    [Fact]
    public async Task Expiry_defaults_to_the_policy_lifetime()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        Assert.Equal(database.Clock.GetUtcNow().AddDays(365), key.Key.ExpiresAt);
    }

    [Fact]
    public async Task The_default_expiry_is_capped_by_the_longest_lifetime()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.UpdateWorkspaceAsync(database.Workspace, w => (w.DefaultKeyLifetimeDays, w.MaxKeyLifetimeDays) = (365, 30));
        var key = await database.CreateKeyAsync();
        Assert.Equal(database.Clock.GetUtcNow().AddDays(30), key.Key.ExpiresAt);
    }

    [Fact]
    public async Task A_requested_expiry_up_to_the_longest_lifetime_is_kept()
    {
        await using var database = await TestDatabase.CreateAsync();
        var atTheLimit = database.Clock.GetUtcNow().AddDays(365);
        var key = await database.CreateKeyAsync(Request() with { ExpiresAt = atTheLimit });
        Assert.Equal(atTheLimit, key.Key.ExpiresAt);
    }

    [Fact]
    public async Task An_expiry_given_in_another_time_zone_expires_at_that_instant()
    {
        await using var database = await TestDatabase.CreateAsync();
        var inTokyo = database.Clock.GetUtcNow().AddDays(2).ToOffset(TimeSpan.FromHours(9));
        var key = await database.CreateKeyAsync(Request() with { ExpiresAt = inTokyo });

        database.Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        Assert.Equal([key.Key.Id], await IdsWithStatusAsync(database, KeyStatus.ExpiringSoon));
        database.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([key.Key.Id], await IdsWithStatusAsync(database, KeyStatus.Expired));
        Assert.Equal(inTokyo, (await database.KeyRowAsync(key.Key.Id)).ExpiresAt);
    }

    private static async Task<IEnumerable<string>> IdsWithStatusAsync(TestDatabase database, KeyStatus status) =>
        (await database.KeyService().ListAsync(database.ActorFor(database.Owner), database.Workspace.Id, new KeyQuery { Statuses = [status] }))
            .Value!.Items.Select(k => k.Id);

    [Fact]
    public async Task Without_a_longest_lifetime_any_future_expiry_is_kept()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.UpdateWorkspaceAsync(database.Workspace, w => w.MaxKeyLifetimeDays = null);
        var far = database.Clock.GetUtcNow().AddDays(1000);
        var key = await database.CreateKeyAsync(Request() with { ExpiresAt = far });
        Assert.Equal(far, key.Key.ExpiresAt);
    }

    [Fact]
    public async Task A_never_expiring_key_is_allowed_only_when_the_policy_allows_it()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.UpdateWorkspaceAsync(database.Workspace, w => w.AllowNeverExpiringKeys = true);
        var key = await database.CreateKeyAsync(Request() with { NeverExpires = true });
        Assert.Null(key.Key.ExpiresAt);
        Assert.Equal(KeyStatus.Active, key.Key.Status);
    }

    [Fact]
    public async Task The_secret_is_returned_once_and_only_its_hash_is_stored()
    {
        await using var database = await TestDatabase.CreateAsync();
        var issued = await database.CreateKeyAsync();

        Assert.True(database.Format.IsWellFormed(issued.Secret));
        Assert.Equal(issued.Secret[..12], issued.Key.DisplayPrefix);
        Assert.DoesNotContain(typeof(KeySummary).GetProperties(), p => p.PropertyType == typeof(byte[]));
        var hidden = issued.Secret[12..];
        Assert.DoesNotContain(hidden, JsonSerializer.Serialize(issued.Key));
        var later = await database.KeyService().GetAsync(database.ActorFor(database.Owner), database.Workspace.Id, issued.Key.Id);
        Assert.DoesNotContain(hidden, JsonSerializer.Serialize(later.Value));

        var row = await database.KeyRowAsync(issued.Key.Id);
        Assert.Equal(database.Hasher.Hash(issued.Secret), row.SecretHash);
        Assert.DoesNotContain(hidden, JsonSerializer.Serialize(row));
        Assert.True(await database.IsUsableNowAsync(issued.Secret));
    }

    private static CreateKeyRequest Request() => WorldKeys.KeyRequest();

    private static Task<OperationResult<IssuedKey>> CreateAsync(TestDatabase database, CreateKeyRequest request) =>
        database.KeyService().CreateAsync(database.ActorFor(database.Owner), database.Workspace.Id, request);
}
