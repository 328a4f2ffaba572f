using KeyDashboard.Audit;
using KeyDashboard.AuditLog;
using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using static KeyDashboard.Tests.TestSupport.WorldAudit;

namespace KeyDashboard.Tests.AuditLog;

public sealed class AuditLogQueryTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private DateTimeOffset Now => _database.Clock.GetUtcNow();

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private AuditLogQuery Query() => new(_database.DbFactory, _database.Clock);

    public static TheoryData<string, OperationStatus> Readers => new()
    {
        { "owner", OperationStatus.Ok },
        { "admin", OperationStatus.Ok },
        { "member", OperationStatus.Forbidden },
        { "outsider", OperationStatus.NotFound },
        { "other workspace's admin", OperationStatus.NotFound },
    };

    private ApplicationUser User(string who) => who switch
    {
        "owner" => _database.Owner,
        "admin" => _database.Admin,
        "member" => _database.Member,
        "outsider" => _database.Outsider,
        _ => _database.OtherAdmin,
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Only_owners_and_admins_of_the_workspace_may_read_the_log(string who, OperationStatus expected)
    {
        await _database.CreateKeyAsync();
        var actor = _database.ActorFor(User(who));
        var query = Query();

        var access = await query.CheckAccessAsync(actor, _database.Workspace.Id);
        var page = await query.ListAsync(actor, _database.Workspace.Id, new AuditFilter(), 0, 25);
        var export = await query.ExportAsync(actor, _database.Workspace.Id, new AuditFilter());

        Assert.All(new[] { access.Status, page.Status, export.Status }, status => Assert.Equal(expected, status));
        if (expected == OperationStatus.Forbidden)
            Assert.All(new[] { access.Message, page.Message, export.Message }, m => Assert.Equal(Permissions.Refusal(Permission.SeeAuditLog), m));
        if (expected == OperationStatus.Ok) Assert.Single(page.Value!.Items, e => e.Action == AuditActions.KeyCreated);
        else Assert.Null(page.Value);
    }

    [Fact]
    public async Task The_role_is_read_from_the_database_so_a_demoted_admin_is_refused_at_once()
    {
        var actor = _database.ActorFor(_database.Admin);
        Assert.True((await Query().ListAsync(actor, _database.Workspace.Id, new AuditFilter(), 0, 25)).Succeeded);

        await using (var db = await _database.DbFactory.CreateDbContextAsync())
        {
            db.Memberships.Single(m => m.UserId == _database.Admin.Id && m.WorkspaceId == _database.Workspace.Id).Role = Roles.Member;
            await db.SaveChangesAsync();
        }

        Assert.Equal(OperationStatus.Forbidden, (await Query().ListAsync(actor, _database.Workspace.Id, new AuditFilter(), 0, 25)).Status);
        Assert.Equal(OperationStatus.Forbidden, (await Query().ExportAsync(actor, _database.Workspace.Id, new AuditFilter())).Status);
    }

    [Fact]
    public async Task Another_workspaces_entries_and_entries_of_no_workspace_never_appear()
    {
        await _database.AddAuditEntriesAsync(
            Entry(_database.Workspace.Id, AuditActions.KeyCreated, Now, targetId: "mine", targetName: "mine"),
            Entry(_database.OtherWorkspace.Id, AuditActions.KeyCreated, Now, targetId: "theirs", targetName: "theirs"),
            Entry(null, AuditActions.SignInFailed, Now, actorName: "owner@acme.test", actorId: null));
        var actor = _database.ActorFor(_database.Owner);

        var page = (await Query().ListAsync(actor, _database.Workspace.Id, new AuditFilter(), 0, 100)).Value!;
        var exported = await ToListAsync((await Query().ExportAsync(actor, _database.Workspace.Id, new AuditFilter())).Value!);
        var theirsById = await Query().ListAsync(actor, _database.Workspace.Id, new AuditFilter { KeyId = "theirs" }, 0, 100);

        Assert.Equal(["mine"], page.Items.Select(e => e.TargetId).OfType<string>());
        Assert.Equal(1, page.TotalCount);
        Assert.All(exported, e => Assert.Equal(_database.Workspace.Id, e.WorkspaceId));
        Assert.Contains(exported, e => e.TargetId == "mine");
        Assert.Empty(theirsById.Value!.Items);
        // Nor can the other workspace's admin reach this workspace's log by naming its id.
        Assert.Equal(OperationStatus.NotFound, (await Query().ListAsync(_database.ActorFor(_database.OtherAdmin), _database.Workspace.Id, new AuditFilter(), 0, 25)).Status);
    }

    [Fact]
    public async Task Hiding_sign_ins_leaves_out_every_sign_in_activity_in_the_page_and_the_export()
    {
        var workspace = _database.Workspace.Id;
        await _database.AddAuditEntriesAsync(AuditActions.SignInActivity.Select(action => Entry(workspace, action, Now))
            .Append(Entry(workspace, AuditActions.KeyRevoked, Now, targetId: "k", targetName: "kept"))
            .Append(Entry(workspace, AuditActions.PasswordResetLinkIssued, Now)));
        var actor = _database.ActorFor(_database.Owner);
        var filter = new AuditFilter { HideSignIns = true };

        var page = (await Query().ListAsync(actor, workspace, filter, 0, 100)).Value!;
        var exported = await ToListAsync((await Query().ExportAsync(actor, workspace, filter)).Value!);

        Assert.Equal([AuditActions.PasswordResetLinkIssued, AuditActions.KeyRevoked], page.Items.Select(e => e.Action).Order());
        // The export's own entry, written as it starts, is the only one more.
        Assert.Equal([AuditActions.AuditExported, AuditActions.PasswordResetLinkIssued, AuditActions.KeyRevoked], exported.Select(e => e.Action).Order());
        Assert.False(filter.IsEmpty);
    }

    [Fact]
    public async Task Pages_run_newest_first_with_the_total_count()
    {
        var workspace = _database.Workspace.Id;
        // Two entries at the same instant: the id breaks the tie, so no entry shows on two pages or none.
        await _database.AddAuditEntriesAsync(Enumerable.Range(0, 5)
            .Select(i => Entry(workspace, AuditActions.KeyEdited, Now.AddMinutes(i == 4 ? 3 : i), targetId: $"k{i}")));
        var actor = _database.ActorFor(_database.Admin);

        var first = (await Query().ListAsync(actor, workspace, new AuditFilter(), 0, 2)).Value!;
        var second = (await Query().ListAsync(actor, workspace, new AuditFilter(), 1, 2)).Value!;
        var third = (await Query().ListAsync(actor, workspace, new AuditFilter(), 2, 2)).Value!;

        Assert.Equal(5, first.TotalCount);
        Assert.Equal(["k4", "k3", "k2", "k1", "k0"], first.Items.Concat(second.Items).Concat(third.Items).Select(e => e.TargetId));
    }

    [Theory]
    [InlineData(-1, 25, "page")]
    [InlineData(0, 0, "pageSize")]
    [InlineData(0, 101, "pageSize")]
    public async Task Bad_paging_is_refused_with_the_field_named(int page, int pageSize, string field)
    {
        var result = await Query().ListAsync(_database.ActorFor(_database.Owner), _database.Workspace.Id, new AuditFilter(), page, pageSize);

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.Contains(field, result.Errors.Keys);
    }

    [Fact]
    public async Task A_date_range_that_ends_before_it_starts_is_refused_and_the_refused_export_is_not_audited()
    {
        var filter = new AuditFilter { From = Now, To = Now.AddDays(-1) };
        var before = await _database.AuditEntriesAsync();

        var list = await Query().ListAsync(_database.ActorFor(_database.Owner), _database.Workspace.Id, filter, 0, 25);
        var export = await Query().ExportAsync(_database.ActorFor(_database.Owner), _database.Workspace.Id, filter);

        Assert.Equal(OperationStatus.Invalid, list.Status);
        Assert.Equal(OperationStatus.Invalid, export.Status);
        Assert.Contains("to", list.Errors.Keys);
        Assert.Equal(before.Count, (await _database.AuditEntriesAsync()).Count);
    }

    [Fact]
    public async Task Filters_by_part_of_the_actors_name_ignoring_case_with_wildcards_taken_literally()
    {
        var workspace = _database.Workspace.Id;
        await _database.AddAuditEntriesAsync(
            Entry(workspace, AuditActions.KeyCreated, Now, actorName: "admin@acme.test", targetId: "a"),
            Entry(workspace, AuditActions.KeyCreated, Now, actorName: "ci-deploy (kd_live_AbC4)", actorType: AuditActorType.Key, targetId: "b"),
            Entry(workspace, AuditActions.KeyCreated, Now, actorName: "100%_sure@acme.test", targetId: "c"));

        Assert.Equal(["a"], await TargetsAsync(new AuditFilter { Actor = " ADMIN@" }));
        Assert.Equal(["b"], await TargetsAsync(new AuditFilter { Actor = "ci-deploy" }));
        Assert.Equal(["c"], await TargetsAsync(new AuditFilter { Actor = "%_" }));
    }

    [Fact]
    public async Task Filters_by_the_actors_exact_user_or_key_id_too()
    {
        var workspace = _database.Workspace.Id;
        await _database.AddAuditEntriesAsync(
            Entry(workspace, AuditActions.KeyCreated, Now, actorName: "owner@acme.test", actorId: "user-7", targetId: "by user"),
            Entry(workspace, AuditActions.KeyCreated, Now, actorName: "ci-deploy (kd_live_AbC4)", actorType: AuditActorType.Key, actorId: "key-7", targetId: "by key"),
            Entry(workspace, AuditActions.KeyCreated, Now, actorName: "admin@acme.test", actorId: "user-77", targetId: "longer id"),
            Entry(workspace, AuditActions.KeyCreated, Now, actorName: "other@acme.test", actorId: "USER-7", targetId: "other case"));

        Assert.Equal(["by user"], await TargetsAsync(new AuditFilter { Actor = "user-7" }));
        Assert.Equal(["by key"], await TargetsAsync(new AuditFilter { Actor = " key-7 " }));
        // An id matches whole and exactly; only names match in part.
        Assert.Empty(await TargetsAsync(new AuditFilter { Actor = "user-" }));
    }

    [Fact]
    public async Task Filters_by_action()
    {
        var workspace = _database.Workspace.Id;
        await _database.AddAuditEntriesAsync(
            Entry(workspace, AuditActions.KeyCreated, Now, targetId: "created"),
            Entry(workspace, AuditActions.KeyRevoked, Now, targetId: "revoked"),
            Entry(workspace, AuditActions.SignedIn, Now));

        Assert.Equal(["revoked"], await TargetsAsync(new AuditFilter { Action = AuditActions.KeyRevoked }));
        Assert.Empty(await TargetsAsync(new AuditFilter { Action = "no.such_action" }));
    }

    [Fact]
    public async Task Filters_by_key_whether_the_key_was_acted_on_or_acted()
    {
        var workspace = _database.Workspace.Id;
        await _database.AddAuditEntriesAsync(
            Entry(workspace, AuditActions.KeyRotated, Now, targetId: "key-1", details: "rotated"),
            Entry(workspace, AuditActions.KeyCreated, Now, actorType: AuditActorType.Key, actorId: "key-1", targetId: "key-2", details: "made by key-1"),
            Entry(workspace, AuditActions.KeyCreated, Now, actorId: "key-1", targetId: "key-3", details: "a user whose id looks like a key"),
            Entry(workspace, AuditActions.KeyRevoked, Now, targetId: "key-2", details: "other key"));

        var page = (await Query().ListAsync(_database.ActorFor(_database.Owner), workspace, new AuditFilter { KeyId = "key-1" }, 0, 25)).Value!;

        Assert.Equal(["made by key-1", "rotated"], page.Items.Select(e => e.Details!).Order());
    }

    [Fact]
    public async Task Filters_by_date_range_from_inclusive_to_exclusive()
    {
        var workspace = _database.Workspace.Id;
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        await _database.AddAuditEntriesAsync(
            Entry(workspace, AuditActions.KeyEdited, start.AddTicks(-1), targetId: "before"),
            Entry(workspace, AuditActions.KeyEdited, start, targetId: "first"),
            Entry(workspace, AuditActions.KeyEdited, start.AddDays(1).AddTicks(-1), targetId: "last"),
            Entry(workspace, AuditActions.KeyEdited, start.AddDays(1), targetId: "after"));

        Assert.Equal(["first", "last"], (await TargetsAsync(new AuditFilter { From = start, To = start.AddDays(1) })).Order());
        Assert.Equal(["after", "first", "last"], (await TargetsAsync(new AuditFilter { From = start })).Order());
        Assert.Equal(["before"], await TargetsAsync(new AuditFilter { To = start }));
    }

    [Fact]
    public async Task A_date_range_given_in_another_offset_means_the_same_instants()
    {
        var workspace = _database.Workspace.Id;
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var plusTwo = TimeSpan.FromHours(2);
        await _database.AddAuditEntriesAsync(
            Entry(workspace, AuditActions.KeyEdited, start.AddSeconds(-1), targetId: "before"),
            Entry(workspace, AuditActions.KeyEdited, start, targetId: "first"),
            Entry(workspace, AuditActions.KeyEdited, start.AddHours(1), targetId: "after"));

        // 02:00 at +02:00 is midnight UTC: the entry at that instant is in a range from it, and not in one up to it.
        Assert.Equal(["after", "first"], (await TargetsAsync(new AuditFilter { From = start.ToOffset(plusTwo) })).Order());
        Assert.Equal(["before"], await TargetsAsync(new AuditFilter { To = start.ToOffset(plusTwo) }));
        Assert.Equal(["before"], await TargetsAsync(new AuditFilter { To = start.ToOffset(-plusTwo) }));
    }

    [Theory]
    [InlineData("actor", 257)]
    [InlineData("action", 65)]
    [InlineData("key", 65)]
    public async Task A_filter_longer_than_anything_stored_is_refused_with_the_field_named(string field, int length)
    {
        var text = new string('x', length);
        var filter = field switch
        {
            "actor" => new AuditFilter { Actor = text },
            "action" => new AuditFilter { Action = text },
            _ => new AuditFilter { KeyId = text },
        };

        var result = await Query().ListAsync(_database.ActorFor(_database.Owner), _database.Workspace.Id, filter, 0, 25);

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.Equal([field], result.Errors.Keys);
    }

    [Fact]
    public async Task The_export_streams_matching_entries_oldest_first_and_is_itself_audited()
    {
        var workspace = _database.Workspace.Id;
        await _database.AddAuditEntriesAsync(
            Entry(workspace, AuditActions.KeyRevoked, Now.AddHours(-1), targetId: "newer"),
            Entry(workspace, AuditActions.KeyRevoked, Now.AddHours(-2), targetId: "older"),
            Entry(workspace, AuditActions.KeyCreated, Now.AddHours(-3), targetId: "other action"));

        var export = await Query().ExportAsync(_database.ActorFor(_database.Admin, "203.0.113.5"), workspace, new AuditFilter { Action = AuditActions.KeyRevoked });

        Assert.Equal(["older", "newer"], (await ToListAsync(export.Value!)).Select(e => e.TargetId));
        var audited = Assert.Single(await _database.AuditEntriesAsync(AuditActions.AuditExported));
        Assert.Equal((workspace, _database.Admin.Id, "203.0.113.5"), (audited.WorkspaceId!.Value, audited.ActorId!, audited.ClientAddress!));
        Assert.Contains("\"action\":\"key.revoked\"", audited.Details);
    }

    private async Task<List<string>> TargetsAsync(AuditFilter filter)
    {
        var result = await Query().ListAsync(_database.ActorFor(_database.Owner), _database.Workspace.Id, filter, 0, 100);
        Assert.True(result.Succeeded, result.Message);
        return result.Value!.Items.Select(e => e.TargetId).OfType<string>().ToList();
    }

    private static async Task<List<AuditEntry>> ToListAsync(IAsyncEnumerable<AuditEntry> entries)
    {
        var list = new List<AuditEntry>();
        await foreach (var entry in entries) list.Add(entry);
        return list;
    }
}
