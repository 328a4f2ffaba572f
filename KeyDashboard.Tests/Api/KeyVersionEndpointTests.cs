using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Api;
using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Api;

/// <summary>
/// Concurrent changes to one key over HTTP: every single-key answer carries the key's <c>ETag</c>; a rotation or an
/// edit sent with <c>If-Match</c> applies only to that version, so of ten parallel callers one wins and nine get 409.
/// </summary>
public sealed class KeyVersionEndpointTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    private const int Callers = 10;
    private static readonly string[] Graces = ["1h", "24h", "7d"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Of_ten_parallel_rotations_with_If_Match_one_wins_its_secret_works_and_the_old_one_keeps_the_winners_grace()
    {
        var (key, client) = await KeyWithClientAsync();
        var etag = (await client.GetAsync($"/api/v1/keys/{key.Key.Id}")).Headers.ETag!.ToString();
        var before = DateTimeOffset.UtcNow;

        var responses = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i =>
            client.SendAsync(WithIfMatch(HttpMethod.Post, $"/api/v1/keys/{key.Key.Id}/rotate", etag, new { grace = Graces[i % Graces.Length] }))));

        var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var loser in responses.Where(r => r != winner)) await AssertKeyChangedAsync(loser);
        var rotated = (await winner.Content.ReadFromJsonAsync<IssuedKeyResponse>(Json))!;
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(rotated.Secret).GetAsync($"/api/v1/keys/{key.Key.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/keys/{key.Key.Id}")).StatusCode);
        var winnersGrace = Graces[Array.IndexOf(responses, winner) % Graces.Length] switch { "1h" => TimeSpan.FromHours(1), "24h" => TimeSpan.FromHours(24), _ => TimeSpan.FromDays(7) };
        Assert.InRange(rotated.Key.PreviousSecretValidUntil!.Value, before + winnersGrace, DateTimeOffset.UtcNow + winnersGrace);
        Assert.Equal(winner.Headers.ETag!.ToString(), (await client.GetAsync($"/api/v1/keys/{key.Key.Id}")).Headers.ETag!.ToString());
        Assert.Single(await app.AuditEntriesAsync(AuditActions.KeyRotated), a => a.TargetId == key.Key.Id);
    }

    [Fact]
    public async Task Of_ten_parallel_edits_with_If_Match_one_wins()
    {
        var (key, client) = await KeyWithClientAsync();
        var etag = (await client.GetAsync($"/api/v1/keys/{key.Key.Id}")).Headers.ETag!.ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i =>
            client.SendAsync(WithIfMatch(HttpMethod.Patch, $"/api/v1/keys/{key.Key.Id}", etag, new { name = $"name-{i}" }))));

        var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var loser in responses.Where(r => r != winner)) await AssertKeyChangedAsync(loser);
        var edited = (await winner.Content.ReadFromJsonAsync<ApiKeyResponse>(Json))!;
        Assert.Equal(edited.Name, (await app.KeyRowAsync(key.Key.Id)).Name);
        Assert.Single(await app.AuditEntriesAsync(AuditActions.KeyEdited), a => a.TargetId == key.Key.Id);
    }

    [Fact]
    public async Task Of_ten_parallel_revocations_one_records_its_reason_and_none_is_refused()
    {
        var (key, client) = await KeyWithClientAsync();
        var other = app.ApiClient((await app.CreateKeyAsync(WorldKeys.KeyRequest("revoker", ["keys:delete"]))).Secret);

        var responses = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i => other.DeleteAsync($"/api/v1/keys/{key.Key.Id}?reason=leaked-{i}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.Single(await app.AuditEntriesAsync(AuditActions.KeyRevoked), a => a.TargetId == key.Key.Id);
        Assert.StartsWith("leaked-", (await app.KeyRowAsync(key.Key.Id)).RevokedReason);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/keys/{key.Key.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_rotation_with_the_ETag_a_previous_rotation_replaced_is_a_conflict_and_changes_nothing()
    {
        var (key, client) = await KeyWithClientAsync();
        var seen = (await client.GetAsync($"/api/v1/keys/{key.Key.Id}")).Headers.ETag!.ToString();
        var first = await client.SendAsync(WithIfMatch(HttpMethod.Post, $"/api/v1/keys/{key.Key.Id}/rotate", seen, new { grace = "7d" }));
        var afterFirst = await DatabaseSnapshot.TakeBesideRequestsAsync(app);

        var late = await client.SendAsync(WithIfMatch(HttpMethod.Post, $"/api/v1/keys/{key.Key.Id}/rotate", seen, new { grace = "none" }));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEqual(seen, first.Headers.ETag!.ToString());
        await AssertKeyChangedAsync(late);
        Assert.Equal(afterFirst, await DatabaseSnapshot.TakeBesideRequestsAsync(app));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/keys/{key.Key.Id}")).StatusCode);
    }

    [Theory]
    [InlineData("W/\"{0}\"")]
    [InlineData("\"not-a-version\"")]
    public async Task A_weak_or_foreign_ETag_matches_no_version(string format)
    {
        var (key, client) = await KeyWithClientAsync();
        var seen = (await client.GetAsync($"/api/v1/keys/{key.Key.Id}")).Headers.ETag!.Tag.Trim('"');

        var response = await client.SendAsync(WithIfMatch(HttpMethod.Post, $"/api/v1/keys/{key.Key.Id}/rotate", string.Format(format, seen), new { grace = "none" }));

        await AssertKeyChangedAsync(response);
    }

    [Theory]
    [InlineData("\"a\", \"b\"")]
    [InlineData("not quoted")]
    public async Task An_If_Match_that_is_not_one_ETag_is_a_400(string ifMatch)
    {
        var (key, client) = await KeyWithClientAsync();

        var response = await client.SendAsync(WithIfMatch(HttpMethod.Post, $"/api/v1/keys/{key.Key.Id}/rotate", ifMatch, new { grace = "none" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(await client.GetAsync($"/api/v1/keys/{key.Key.Id}") is { StatusCode: HttpStatusCode.OK });
    }

    [Fact]
    public async Task If_Match_star_and_no_If_Match_rotate_the_current_key()
    {
        var (key, client) = await KeyWithClientAsync();

        var any = await client.SendAsync(WithIfMatch(HttpMethod.Post, $"/api/v1/keys/{key.Key.Id}/rotate", "*", new { grace = "7d" }));
        var unconditional = await client.PostAsJsonAsync($"/api/v1/keys/{key.Key.Id}/rotate", new { grace = "7d" });

        Assert.Equal(HttpStatusCode.OK, any.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unconditional.StatusCode);
        Assert.NotNull(unconditional.Headers.ETag);
    }

    [Fact]
    public async Task Create_get_rotate_and_edit_answer_the_keys_ETag()
    {
        var client = app.ApiClient((await app.CreateKeyAsync(WorldKeys.KeyRequest("writer", ["keys:read", "keys:write"]))).Secret);

        var created = await client.PostAsJsonAsync("/api/v1/keys", new { name = "tagged", scopes = new[] { "keys:read" } });
        var id = (await created.Content.ReadFromJsonAsync<IssuedKeyResponse>(Json))!.Key.Id;
        var read = await client.GetAsync($"/api/v1/keys/{id}");
        var edited = await client.PatchAsJsonAsync($"/api/v1/keys/{id}", new { name = "retagged" });

        Assert.Equal(created.Headers.ETag, read.Headers.ETag);
        Assert.False(read.Headers.ETag!.IsWeak);
        Assert.NotEqual(read.Headers.ETag, edited.Headers.ETag);
        Assert.Equal($"\"{(await app.KeyRowAsync(id)).ConcurrencyStamp:N}\"", edited.Headers.ETag!.ToString());
    }

    /// <summary>A key to change, owned by the admin, and a client calling as that key: it rotates and edits itself.</summary>
    private async Task<(IssuedKey Key, HttpClient Client)> KeyWithClientAsync()
    {
        var key = await app.CreateKeyAsync(WorldKeys.KeyRequest("contended", ["keys:read", "keys:write"], app.World.Admin));
        return (key, app.ApiClient(key.Secret));
    }

    private static HttpRequestMessage WithIfMatch(HttpMethod method, string path, string ifMatch, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static async Task AssertKeyChangedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(ApiKeyService.KeyChanged, problem.GetProperty("detail").GetString());
        Assert.Null(response.Headers.ETag);
    }
}
