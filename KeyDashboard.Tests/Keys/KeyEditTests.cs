using System.Text.Json;
using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Keys;

public sealed class KeyEditTests
{
    [Fact]
    public async Task Only_the_name_and_description_change()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest() with
        {
            Description = "old", OwnerUserId = database.Member.Id, Environment = KeyEnvironment.Live, Scopes = ["keys:read", "audit:read"],
        });
        var before = await database.KeyRowAsync(key.Key.Id);
        database.Clock.Advance(TimeSpan.FromHours(1));

        var result = await EditAsync(database, key.Key.Id, "  renamed  ", "  new description ");

        Assert.Equal(OperationStatus.Ok, result.Status);
        Assert.Equal("renamed", result.Value!.Name);
        Assert.Equal("new description", result.Value.Description);
        var after = await database.KeyRowAsync(key.Key.Id);
        Assert.Equal(("renamed", "new description"), (after.Name, after.Description));
        Assert.Equal(WithoutEditableFields(before), WithoutEditableFields(after));
        Assert.True(await database.IsUsableNowAsync(key.Secret));
    }

    [Theory]
    [InlineData("ci-deploy", "what it is for")]
    [InlineData("  ci-deploy ", " what it is for  ")]
    public async Task Unchanged_values_write_nothing(string name, string description)
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy") with { Description = "what it is for" });
        var before = await DatabaseSnapshot.TakeAsync(database);

        var result = await EditAsync(database, key.Key.Id, name, description);

        Assert.Equal(OperationStatus.Ok, result.Status);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Fact]
    public async Task A_changed_description_alone_is_one_edit()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();

        await EditAsync(database, key.Key.Id, key.Key.Name, "now documented");

        var entry = Assert.Single(await database.AuditEntriesAsync(AuditActions.KeyEdited));
        Assert.Equal(key.Key.Id, entry.TargetId);
    }

    [Theory]
    [InlineData("", "fine")]
    [InlineData("tab\tinside", "fine")]
    [InlineData("fine", "bell \a")]
    public async Task Invalid_values_are_refused_and_write_nothing(string name, string description)
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var before = await DatabaseSnapshot.TakeAsync(database);

        var result = await EditAsync(database, key.Key.Id, name, description);

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Fact]
    public async Task Names_and_descriptions_over_their_limits_are_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();

        var longName = await EditAsync(database, key.Key.Id, new string('n', 101), "");
        var longDescription = await EditAsync(database, key.Key.Id, "fine", new string('d', 501));

        Assert.Equal(["name"], longName.Errors.Keys);
        Assert.Equal(["description"], longDescription.Errors.Keys);
        Assert.Equal("ci-deploy", (await database.KeyRowAsync(key.Key.Id)).Name);
    }

    private static string WithoutEditableFields(ApiKey key)
    {
        key.Name = key.Description = "";
        key.ConcurrencyStamp = Guid.Empty;
        return JsonSerializer.Serialize(key);
    }

    [Fact]
    public async Task A_revoked_key_cannot_be_renamed_rescoped_or_given_an_expiry_by_a_caller_who_skips_the_disabled_button()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest("leaked-key", ["keys:read", "usage:read"]));
        await database.KeyService().RevokeAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, "leaked");
        var before = await DatabaseSnapshot.TakeAsync(database);

        var result = await database.KeyService().EditAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id,
            new EditKeyRequest("innocent-name", "nothing to see", ["keys:read"], key.Key.ExpiresAt!.Value.AddDays(-1)));

        Assert.Equal((OperationStatus.Conflict, KeyStateRefusals.EditRevoked), (result.Status, result.Message));
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    private static Task<OperationResult<KeySummary>> EditAsync(TestDatabase database, string keyId, string name, string description) =>
        database.KeyService().EditAsync(database.ActorFor(database.Admin), database.Workspace.Id, keyId, new EditKeyRequest(name, description));
}
