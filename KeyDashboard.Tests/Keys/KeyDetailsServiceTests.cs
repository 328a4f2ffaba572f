using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.Keys;

public sealed class KeyDetailsServiceTests
{
    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Member)]
    public async Task Every_member_sees_the_key_with_who_created_it(string role)
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(by: database.Admin);

        var details = await Service(database).DetailsAsync(database.ActorFor(UserIn(database, role)), database.Workspace.Id, key.Key.Id);

        Assert.Equal(OperationStatus.Ok, details.Status);
        Assert.Equal(key.Key.Id, details.Value!.Key.Id);
        Assert.Equal(database.Admin.Email, details.Value.CreatedByName);
        Assert.Null(details.Value.RevokedByName);
    }

    [Fact]
    public async Task A_key_of_another_workspace_is_not_found_even_by_its_id()
    {
        await using var database = await TestDatabase.CreateAsync();
        var theirs = await database.CreateKeyAsync(by: database.OtherAdmin, workspace: database.OtherWorkspace);
        var service = Service(database);

        var viaOwnWorkspace = await service.DetailsAsync(database.ActorFor(database.Owner), database.Workspace.Id, theirs.Key.Id);
        var viaTheirWorkspace = await service.DetailsAsync(database.ActorFor(database.Owner), database.OtherWorkspace.Id, theirs.Key.Id);
        var history = await service.HistoryAsync(database.ActorFor(database.Owner), database.Workspace.Id, theirs.Key.Id, 0, 10);

        Assert.Equal((OperationStatus.NotFound, "No such key in this workspace."), (viaOwnWorkspace.Status, viaOwnWorkspace.Message));
        Assert.Equal(OperationStatus.NotFound, viaTheirWorkspace.Status);
        Assert.Equal(OperationStatus.NotFound, history.Status);
    }

    [Fact]
    public async Task Usage_covers_the_last_30_utc_days_with_zeros_where_nothing_happened()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        await database.AddUsageAsync(key.Key.Id, (0, 5), (-3, 7), (-29, 11), (-30, 1000), (1, 2000));

        var details = await Service(database).DetailsAsync(database.ActorFor(database.Member), database.Workspace.Id, key.Key.Id);

        var usage = details.Value!.Usage;
        var today = DateOnly.FromDateTime(database.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(30, usage.Count);
        Assert.Equal(today.AddDays(-29), usage[0].Day);
        Assert.Equal(today, usage[^1].Day);
        Assert.Equal(11, usage[0].Requests);
        Assert.Equal(7, usage[26].Requests);
        Assert.Equal(5, usage[29].Requests);
        Assert.Equal(27, usage.Count(d => d.Requests == 0));
        Assert.Equal(23, details.Value.RequestsInPeriod);
    }

    [Fact]
    public async Task During_a_rotation_the_details_carry_the_hand_off()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        await database.KeyService().RotateAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, RotationGrace.SevenDays);
        database.Clock.Advance(TimeSpan.FromHours(5));
        await database.UpdateKeyRowAsync(key.Key.Id, k => k.PreviousSecretLastUsedAt = database.Clock.GetUtcNow().AddHours(-3));

        var details = await Service(database).DetailsAsync(database.ActorFor(database.Member), database.Workspace.Id, key.Key.Id);

        Assert.Equal(HandOffState.OldSecretInUse, details.Value!.HandOff!.State);
        Assert.Equal(database.Clock.GetUtcNow().AddHours(-3), details.Value.HandOff.OldSecretLastUsedAt);
    }

    [Fact]
    public async Task History_is_the_keys_audit_entries_newest_first_one_page_at_a_time()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest("first-name"));
        var other = await database.CreateKeyAsync(WorldKeys.KeyRequest("other"));
        var keys = database.KeyService();
        for (var i = 0; i < 3; i++)
        {
            database.Clock.Advance(TimeSpan.FromMinutes(1));
            await keys.EditAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id, new EditKeyRequest($"name-{i}", null));
        }
        database.Clock.Advance(TimeSpan.FromMinutes(1));
        await keys.RevokeAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, "done");
        await keys.RevokeAsync(database.ActorFor(database.Owner), database.Workspace.Id, other.Key.Id, "other");
        var service = Service(database);

        var first = await service.HistoryAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id, 0, 2);
        var second = await service.HistoryAsync(database.ActorFor(database.Admin), database.Workspace.Id, key.Key.Id, 1, 2);

        Assert.Equal(5, first.Value!.TotalCount);
        Assert.Equal([AuditActions.KeyRevoked, AuditActions.KeyEdited], first.Value.Items.Select(e => e.Action));
        Assert.Equal([AuditActions.KeyEdited, AuditActions.KeyEdited], second.Value!.Items.Select(e => e.Action));
        Assert.Equal(database.Owner.Email, first.Value.Items[0].ActorName);
        Assert.Contains("done", first.Value.Items[0].Details);
    }

    [Fact]
    public async Task A_member_may_not_read_the_history()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();

        var history = await Service(database).HistoryAsync(database.ActorFor(database.Member), database.Workspace.Id, key.Key.Id, 0, 10);

        Assert.Equal((OperationStatus.Forbidden, "Only owners and admins can see the audit log."), (history.Status, history.Message));
    }

    [Fact]
    public async Task Someone_outside_the_workspace_gets_not_found()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var service = Service(database);

        Assert.Equal(OperationStatus.NotFound, (await service.DetailsAsync(database.ActorFor(database.Outsider), database.Workspace.Id, key.Key.Id)).Status);
        Assert.Equal(OperationStatus.NotFound, (await service.HistoryAsync(database.ActorFor(database.Outsider), database.Workspace.Id, key.Key.Id, 0, 10)).Status);
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(0, 0)]
    [InlineData(0, 101)]
    public async Task A_bad_page_is_refused(int page, int pageSize)
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();

        var history = await Service(database).HistoryAsync(database.ActorFor(database.Owner), database.Workspace.Id, key.Key.Id, page, pageSize);

        Assert.Equal(OperationStatus.Invalid, history.Status);
    }

    private static KeyDetailsService Service(TestDatabase database) => new(database.DbFactory, database.Clock);

    private static KeyDashboard.Data.ApplicationUser UserIn(TestDatabase database, string role) => role switch
    {
        Roles.Owner => database.Owner,
        Roles.Admin => database.Admin,
        _ => database.Member,
    };
}
