using KeyDashboard.Keys;

namespace KeyDashboard.Tests.Keys;

public sealed class KeysViewTests
{
    [Fact]
    public void A_view_survives_the_round_trip_through_its_address()
    {
        var view = new KeysView
        {
            Search = "billing",
            Statuses = [KeyStatus.Active, KeyStatus.ExpiringSoon],
            Stale = true,
            Environment = KeyEnvironment.Live,
            IncludeRevoked = true,
            SortBy = KeySort.LastUsed,
            Descending = false,
            Page = 2,
            PageSize = 50,
        };

        var parameters = view.ToQueryParameters();

        Assert.Equal("billing", parameters["q"]);
        Assert.Equal("active,expiring-soon,stale", parameters["status"]);
        Assert.Equal("live", parameters["env"]);
        Assert.Equal("last-used", parameters["sort"]);
        Assert.Equal("asc", parameters["dir"]);
        Assert.Equal("3", parameters["page"]);
        Assert.Equal("50", parameters["size"]);
        var parsed = Parse(parameters);
        Assert.Equal(view.Statuses, parsed.Statuses);
        Assert.Equal(view with { Statuses = parsed.Statuses }, parsed);
    }

    [Fact]
    public void The_default_view_has_a_bare_address()
    {
        Assert.All(new KeysView().ToQueryParameters(), p => Assert.Null(p.Value));
        var parsed = Parse(new Dictionary<string, object?>());
        Assert.Equal(new KeysView().ToQuery() with { Statuses = parsed.Statuses }, parsed.ToQuery());
        Assert.Empty(parsed.Statuses);
    }

    [Theory]
    [InlineData(KeySort.Usage, true)]
    [InlineData(KeySort.LastUsed, true)]
    [InlineData(KeySort.Expires, true)]
    [InlineData(KeySort.Name, false)]
    [InlineData(KeySort.Owner, false)]
    [InlineData(KeySort.Prefix, false)]
    public void Counts_and_dates_sort_descending_first(KeySort sort, bool descending)
    {
        var name = Parse(new KeysView { SortBy = sort, Descending = descending }.ToQueryParameters());

        Assert.Equal(descending, KeysView.SortsDescendingFirst(sort));
        Assert.Equal(descending, name.Descending);
        Assert.Null(new KeysView { SortBy = sort, Descending = descending }.ToQueryParameters()["dir"]);
    }

    [Fact]
    public void Junk_in_the_address_falls_back_to_the_defaults()
    {
        var view = KeysView.Parse(q: "  ", status: "active,bogus,,'; drop table", env: "prod", revoked: "yes", sort: "secret",
            dir: "sideways", page: "-4", size: "1000000");

        Assert.Equal(new KeysView { Statuses = [KeyStatus.Active] }.ToQuery() with { Statuses = view.Statuses }, view.ToQuery());
        Assert.Equal([KeyStatus.Active], view.Statuses);
        Assert.Equal(0, KeysView.Parse(null, null, null, null, null, null, "99999999999", "7").Page);
        Assert.Equal(25, KeysView.Parse(null, null, null, null, null, null, null, "7").PageSize);
    }

    private static KeysView Parse(IReadOnlyDictionary<string, object?> p)
    {
        string? Get(string name) => p.TryGetValue(name, out var value) ? value as string : null;
        return KeysView.Parse(Get("q"), Get("status"), Get("env"), Get("revoked"), Get("sort"), Get("dir"), Get("page"), Get("size"));
    }
}
