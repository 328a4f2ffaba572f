using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Keys;

public sealed class ApiKeyLookupTests : IAsyncLifetime
{
    private readonly CommandCounter _commands = new();
    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;
    private ApiKeyLookup _lookup = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _services = _database.CountingServices(_commands);
        _lookup = new ApiKeyLookup(_services.GetRequiredService<IDbContextFactory<AppDbContext>>(), _database.Format, _database.Hasher);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    public static TheoryData<string?> MalformedKeys() => new()
    {
        null,
        "",
        " ",
        "kd_live_",
        "not a key at all",
        "kd_prod_AbC4dEf5GhI6jKl7MnO8pQr9StU0vWx1aBcDeF",
        "kd_live_AbC4dEf5GhI6jKl7MnO8pQr9StU0vWx1",
        "kd_live_AbC4dEf5GhI6jKl7MnO8pQr9StU0vWx1aBcDeFg",
        "kd_live_AbC4dEf5GhI6jKl7MnO8pQr9StU0vWx-aBcDeF",
        "' OR 1=1 --",
    };

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public async Task A_malformed_key_is_refused_without_a_database_query(string? presented)
    {
        var match = await _lookup.FindAsync(presented);

        Assert.Null(match);
        Assert.Equal(0, _commands.Count);
    }

    [Fact]
    public async Task A_stored_key_with_one_character_mistyped_is_refused_without_a_database_query()
    {
        var secret = await CreateKeyAsync();
        var position = secret.Length - 10;
        var mistyped = string.Concat(secret.AsSpan(0, position), secret[position] == 'x' ? "y" : "x", secret.AsSpan(position + 1));
        var before = _commands.Count;

        var match = await _lookup.FindAsync(mistyped);

        Assert.Null(match);
        Assert.Equal(before, _commands.Count);
    }

    [Fact]
    public async Task A_well_formed_unknown_key_is_looked_up_and_not_found()
    {
        var unknown = _database.Format.Generate(KeyEnvironment.Live);

        var match = await _lookup.FindAsync(unknown);

        Assert.Null(match);
        Assert.True(_commands.Count > 0, "the lookup should have queried the database");
    }

    [Fact]
    public async Task A_created_key_is_found_by_its_secret_and_is_usable()
    {
        var secret = await CreateKeyAsync(name: "billing-sync");

        var match = await _lookup.FindAsync(secret);

        Assert.NotNull(match);
        Assert.Equal("billing-sync", match.Key.Name);
        Assert.Equal(_database.Workspace.Id, match.Key.WorkspaceId);
        Assert.False(match.ViaPreviousSecret);
        Assert.True(await _database.IsUsableNowAsync(match));
    }

    [Fact]
    public async Task After_a_rotation_with_grace_the_old_secret_is_found_and_usable_until_the_deadline()
    {
        var oldSecret = await CreateKeyAsync();
        var keyId = (await _lookup.FindAsync(oldSecret))!.Key.Id;
        var rotated = await _database.KeyService().RotateAsync(OwnerActor, _database.Workspace.Id, keyId, RotationGrace.OneHour);
        Assert.True(rotated.Succeeded, rotated.Message);

        var viaOld = await _lookup.FindAsync(oldSecret);
        var viaNew = await _lookup.FindAsync(rotated.Value!.Secret);

        Assert.NotNull(viaOld);
        Assert.Equal(keyId, viaOld.Key.Id);
        Assert.True(viaOld.ViaPreviousSecret);
        Assert.NotNull(viaNew);
        Assert.Equal(keyId, viaNew.Key.Id);
        Assert.False(viaNew.ViaPreviousSecret);

        _database.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.True(await _database.IsUsableNowAsync(viaOld));

        _database.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(await _database.IsUsableNowAsync(viaOld));
        Assert.True(await _database.IsUsableNowAsync(viaNew));
    }

    [Fact]
    public async Task After_a_rotation_without_grace_the_old_secret_is_not_found()
    {
        var oldSecret = await CreateKeyAsync();
        var keyId = (await _lookup.FindAsync(oldSecret))!.Key.Id;

        var rotated = await _database.KeyService().RotateAsync(OwnerActor, _database.Workspace.Id, keyId, RotationGrace.None);

        Assert.True(rotated.Succeeded, rotated.Message);
        Assert.Null(await _lookup.FindAsync(oldSecret));
        Assert.NotNull(await _lookup.FindAsync(rotated.Value!.Secret));
    }

    [Fact]
    public async Task A_revoked_key_is_found_but_not_usable()
    {
        var secret = await CreateKeyAsync();
        var keyId = (await _lookup.FindAsync(secret))!.Key.Id;
        var revoked = await _database.KeyService().RevokeAsync(OwnerActor, _database.Workspace.Id, keyId, "leaked");
        Assert.True(revoked.Succeeded, revoked.Message);

        var match = await _lookup.FindAsync(secret);

        Assert.NotNull(match);
        Assert.Equal(KeyStatus.Revoked, match.Key.StatusAt(_database.Clock.GetUtcNow()));
        Assert.False(await _database.IsUsableNowAsync(match));
    }

    [Fact]
    public async Task Revoking_a_key_during_a_rotation_grace_period_ends_the_old_secret_too()
    {
        var oldSecret = await CreateKeyAsync();
        var keyId = (await _lookup.FindAsync(oldSecret))!.Key.Id;
        var service = _database.KeyService();
        await service.RotateAsync(OwnerActor, _database.Workspace.Id, keyId, RotationGrace.SevenDays);

        await service.RevokeAsync(OwnerActor, _database.Workspace.Id, keyId, null);
        var match = await _lookup.FindAsync(oldSecret);

        Assert.True(match is null || !await _database.IsUsableNowAsync(match));
    }

    [Fact]
    public async Task An_expired_key_is_found_but_not_usable()
    {
        var secret = await CreateKeyAsync(expiresAt: _database.Clock.GetUtcNow().AddDays(1));
        var beforeExpiry = await _lookup.FindAsync(secret);
        Assert.True(await _database.IsUsableNowAsync(beforeExpiry!));

        _database.Clock.Advance(TimeSpan.FromDays(1));
        var match = await _lookup.FindAsync(secret);

        Assert.NotNull(match);
        Assert.Equal(KeyStatus.Expired, match.Key.StatusAt(_database.Clock.GetUtcNow()));
        Assert.False(await _database.IsUsableNowAsync(match));
    }

    private Actor OwnerActor => _database.ActorFor(_database.Owner);

    private async Task<string> CreateKeyAsync(string name = "lookup-test", DateTimeOffset? expiresAt = null) =>
        (await _database.CreateKeyAsync(WorldKeys.KeyRequest(name) with { Environment = KeyEnvironment.Live, ExpiresAt = expiresAt })).Secret;
}
