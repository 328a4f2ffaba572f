using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Keys;

public sealed class KeyListingTests
{
    [Theory]
    [InlineData("billing", "Billing-Export,billing-sync")]
    [InlineData("BILLING-sync", "billing-sync")]
    [InlineData("  sync  ", "billing-sync")]
    [InlineData("0%", "100% uptime")]
    [InlineData("%", "100% uptime")]
    [InlineData("a_b", "a_b")]
    [InlineData("admin@ACME.test", "Billing-Export")]
    [InlineData("MEMBER@", "member-tool")]
    [InlineData("owner@acme.test", "100% uptime,1000 uptime,a_b,axb,billing-sync")]
    [InlineData("nothing like it", "")]
    public async Task Search_matches_name_or_owner_email_ignoring_case_and_takes_wildcards_literally(string search, string expected)
    {
        await using var database = await TestDatabase.CreateAsync();
        foreach (var name in new[] { "billing-sync", "100% uptime", "1000 uptime", "a_b", "axb" })
            await database.CreateKeyAsync(WorldKeys.KeyRequest(name));
        await database.CreateKeyAsync(WorldKeys.KeyRequest("Billing-Export") with { OwnerUserId = database.Admin.Id });
        await database.CreateKeyAsync(WorldKeys.KeyRequest("member-tool") with { OwnerUserId = database.Member.Id });

        Assert.Equal(expected, await NamesAsync(database, new KeyQuery { Search = search }));
    }

    [Fact]
    public async Task Search_matches_the_display_prefix_ignoring_case()
    {
        await using var database = await TestDatabase.CreateAsync();
        var wanted = await database.CreateKeyAsync(WorldKeys.KeyRequest("wanted"));
        await database.CreateKeyAsync(WorldKeys.KeyRequest("other"));

        Assert.Equal("wanted", await NamesAsync(database, new KeyQuery { Search = wanted.Key.DisplayPrefix }));
        Assert.Equal("wanted", await NamesAsync(database, new KeyQuery { Search = wanted.Key.DisplayPrefix.ToUpperInvariant() }));
        Assert.Equal("wanted", await NamesAsync(database, new KeyQuery { Search = wanted.Key.DisplayPrefix.ToLowerInvariant() }));
    }

    [Theory]
    [InlineData("", false, "active,expired,forever,soon")]
    [InlineData("", true, "active,expired,forever,revoked,soon")]
    [InlineData("Active", false, "active,forever")]
    [InlineData("Active", true, "active,forever")]
    [InlineData("ExpiringSoon", false, "soon")]
    [InlineData("Expired", false, "expired")]
    [InlineData("Revoked", false, "revoked")]
    [InlineData("Active,ExpiringSoon", false, "active,forever,soon")]
    [InlineData("Expired,Revoked", false, "expired,revoked")]
    [InlineData("ExpiringSoon,Expired", false, "expired,soon")]
    [InlineData("Active,ExpiringSoon,Expired,Revoked", false, "active,expired,forever,revoked,soon")]
    public async Task Status_filters_pick_keys_by_their_status_now(string statuses, bool includeRevoked, string expected)
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.UpdateWorkspaceAsync(database.Workspace, w => w.AllowNeverExpiringKeys = true);
        var now = database.Clock.GetUtcNow();
        await database.CreateKeyAsync(WorldKeys.KeyRequest("active"));
        await database.CreateKeyAsync(WorldKeys.KeyRequest("forever") with { NeverExpires = true });
        await database.CreateKeyAsync(WorldKeys.KeyRequest("soon") with { ExpiresAt = now.AddDays(20) });
        await database.CreateKeyAsync(WorldKeys.KeyRequest("expired") with { ExpiresAt = now.AddDays(2) });
        var revoked = await database.CreateKeyAsync(WorldKeys.KeyRequest("revoked"));
        await database.KeyService().RevokeAsync(database.ActorFor(database.Owner), database.Workspace.Id, revoked.Key.Id, null);
        database.Clock.Advance(TimeSpan.FromDays(7));

        var query = new KeyQuery
        {
            Statuses = statuses.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<KeyStatus>).ToList(),
            IncludeRevoked = includeRevoked,
        };
        Assert.Equal(expected, await NamesAsync(database, query));
    }

    [Theory]
    [InlineData(KeyEnvironment.Live, "live-one,live-two")]
    [InlineData(KeyEnvironment.Test, "test-one")]
    [InlineData(null, "live-one,live-two,test-one")]
    public async Task The_environment_filter_picks_live_or_test_keys(KeyEnvironment? environment, string expected)
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.CreateKeyAsync(WorldKeys.KeyRequest("live-one") with { Environment = KeyEnvironment.Live });
        await database.CreateKeyAsync(WorldKeys.KeyRequest("live-two") with { Environment = KeyEnvironment.Live });
        await database.CreateKeyAsync(WorldKeys.KeyRequest("test-one"));

        Assert.Equal(expected, await NamesAsync(database, new KeyQuery { Environment = environment }));
    }

    [Fact]
    public async Task Only_the_workspace_s_own_keys_are_listed()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.CreateKeyAsync(WorldKeys.KeyRequest("ours"));
        await database.CreateKeyAsync(WorldKeys.KeyRequest("theirs"), by: database.OtherAdmin, workspace: database.OtherWorkspace);

        Assert.Equal("ours", await NamesAsync(database, new KeyQuery { IncludeRevoked = true }));
    }

    [Theory]
    [InlineData(KeySort.Name, false)]
    [InlineData(KeySort.Name, true)]
    [InlineData(KeySort.Created, false)]
    [InlineData(KeySort.Created, true)]
    [InlineData(KeySort.Expires, false)]
    [InlineData(KeySort.Expires, true)]
    [InlineData(KeySort.LastUsed, false)]
    [InlineData(KeySort.LastUsed, true)]
    [InlineData(KeySort.Usage, false)]
    [InlineData(KeySort.Usage, true)]
    [InlineData(KeySort.Owner, false)]
    [InlineData(KeySort.Owner, true)]
    [InlineData(KeySort.Prefix, false)]
    [InlineData(KeySort.Prefix, true)]
    public async Task Each_sort_order_orders_by_its_field_then_by_id(KeySort sort, bool descending)
    {
        await using var database = await TestDatabase.CreateAsync();
        var start = database.Clock.GetUtcNow();
        await CreateUsedKeyAsync(database, "delta", database.Member, start.AddDays(200), usage: 5, lastUsed: start.AddHours(2));
        await CreateUsedKeyAsync(database, "alpha", database.Owner, start.AddDays(300), usage: 50, lastUsed: null);
        await CreateUsedKeyAsync(database, "charlie", database.Admin, start.AddDays(100), usage: 0, lastUsed: start.AddHours(1));
        await CreateUsedKeyAsync(database, "bravo", database.Owner, start.AddDays(50), usage: 7, lastUsed: start.AddHours(3));

        var sorted = await ListAsync(database, new KeyQuery { SortBy = sort, Descending = descending });

        var expected = Expected(sorted.Items, sort, descending).Select(k => k.Id);
        Assert.Equal(expected, sorted.Items.Select(k => k.Id));
    }

    [Fact]
    public async Task By_default_the_newest_key_comes_first()
    {
        await using var database = await TestDatabase.CreateAsync();
        foreach (var name in new[] { "first", "second", "third" })
        {
            await database.CreateKeyAsync(WorldKeys.KeyRequest(name));
            database.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var page = await ListAsync(database, new KeyQuery());
        Assert.Equal(["third", "second", "first"], page.Items.Select(k => k.Name));
    }

    [Fact]
    public async Task Pages_cover_every_key_once_in_a_stable_order_with_the_full_count()
    {
        await using var database = await TestDatabase.CreateAsync();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++) ids.Add((await database.CreateKeyAsync(WorldKeys.KeyRequest($"key-{i}"))).Key.Id);

        var pages = new List<KeyPage>();
        for (var page = 0; page < 4; page++) pages.Add(await ListAsync(database, new KeyQuery { Page = page, PageSize = 3 }));

        Assert.Equal([3, 3, 1, 0], pages.Select(p => p.Items.Count));
        Assert.All(pages, p => Assert.Equal(7, p.TotalCount));
        // Every key was created at the same instant: the id alone decides the order (newest first by default, so
        // descending), the same way on every page.
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), pages.SelectMany(p => p.Items).Select(k => k.Id));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sorted_by_owner_pages_cross_owners_and_cover_every_matching_key_once(bool descending)
    {
        await using var database = await TestDatabase.CreateAsync();
        foreach (var (owner, count) in new[] { (database.Member, 3), (database.Owner, 2), (database.Admin, 4) })
            for (var i = 0; i < count; i++)
                await database.CreateKeyAsync(WorldKeys.KeyRequest($"svc-{owner.Email}-{i}") with { OwnerUserId = owner.Id });
        await database.CreateKeyAsync(WorldKeys.KeyRequest("unrelated") with { OwnerUserId = database.Admin.Id });

        var pages = new List<KeyPage>();
        for (var page = 0; page < 6; page++)
            pages.Add(await ListAsync(database, new KeyQuery { Search = "svc-", SortBy = KeySort.Owner, Descending = descending, Page = page, PageSize = 2 }));

        Assert.Equal([2, 2, 2, 2, 1, 0], pages.Select(p => p.Items.Count));
        Assert.All(pages, p => Assert.Equal(9, p.TotalCount));
        var all = pages.SelectMany(p => p.Items).ToList();
        Assert.Equal(Expected(all, KeySort.Owner, descending).Select(k => k.Id), all.Select(k => k.Id));
    }

    [Fact]
    public async Task The_total_count_is_of_the_filtered_keys()
    {
        await using var database = await TestDatabase.CreateAsync();
        for (var i = 0; i < 5; i++) await database.CreateKeyAsync(WorldKeys.KeyRequest($"billing-{i}"));
        await database.CreateKeyAsync(WorldKeys.KeyRequest("other"));

        var page = await ListAsync(database, new KeyQuery { Search = "billing", PageSize = 2 });

        Assert.Equal(2, page.Items.Count);
        Assert.Equal(5, page.TotalCount);
    }

    [Theory]
    [InlineData(-1, 25, "page")]
    [InlineData(0, 0, "pageSize")]
    [InlineData(0, -5, "pageSize")]
    [InlineData(0, 101, "pageSize")]
    public async Task Invalid_paging_is_refused(int page, int pageSize, string field)
    {
        await using var database = await TestDatabase.CreateAsync();
        var result = await database.KeyService().ListAsync(database.ActorFor(database.Member), database.Workspace.Id,
            new KeyQuery { Page = page, PageSize = pageSize });
        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.Equal([field], result.Errors.Keys);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public async Task Page_sizes_from_one_to_a_hundred_are_accepted(int pageSize)
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.CreateKeyAsync();
        var page = await ListAsync(database, new KeyQuery { PageSize = pageSize });
        Assert.Single(page.Items);
    }

    private static async Task CreateUsedKeyAsync(TestDatabase database, string name, global::KeyDashboard.Data.ApplicationUser owner,
        DateTimeOffset expiresAt, long usage, DateTimeOffset? lastUsed)
    {
        var key = await database.CreateKeyAsync(WorldKeys.KeyRequest(name) with { OwnerUserId = owner.Id, ExpiresAt = expiresAt });
        await database.UpdateKeyRowAsync(key.Key.Id, k => (k.UsageCount, k.LastUsedAt) = (usage, lastUsed));
        database.Clock.Advance(TimeSpan.FromMinutes(1));
    }

    private static IEnumerable<KeySummary> Expected(IEnumerable<KeySummary> keys, KeySort sort, bool descending) => sort switch
    {
        KeySort.Name => Order(keys, k => k.Name, StringComparer.Ordinal, descending),
        KeySort.Owner => Order(keys, k => k.OwnerName, StringComparer.Ordinal, descending),
        KeySort.Prefix => Order(keys, k => k.DisplayPrefix, StringComparer.Ordinal, descending),
        KeySort.Expires => Order(keys, k => k.ExpiresAt, Comparer<DateTimeOffset?>.Default, descending),
        KeySort.LastUsed => Order(keys, k => k.LastUsedAt, Comparer<DateTimeOffset?>.Default, descending),
        KeySort.Usage => Order(keys, k => k.UsageCount, Comparer<long>.Default, descending),
        _ => Order(keys, k => k.CreatedAt, Comparer<DateTimeOffset>.Default, descending),
    };

    private static IEnumerable<KeySummary> Order<T>(IEnumerable<KeySummary> keys, Func<KeySummary, T> by, IComparer<T> comparer, bool descending) =>
        descending
            ? keys.OrderByDescending(by, comparer).ThenByDescending(k => k.Id, StringComparer.Ordinal)
            : keys.OrderBy(by, comparer).ThenBy(k => k.Id, StringComparer.Ordinal);

    private static async Task<KeyPage> ListAsync(TestDatabase database, KeyQuery query)
    {
        var result = await database.KeyService().ListAsync(database.ActorFor(database.Member), database.Workspace.Id, query);
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    private static async Task<string> NamesAsync(TestDatabase database, KeyQuery query) =>
        string.Join(",", (await ListAsync(database, query with { PageSize = 100 })).Items.Select(k => k.Name).Order(StringComparer.Ordinal));
}
