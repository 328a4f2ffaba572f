using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Api;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Api;

/// <summary>
/// The Big List of Naughty Strings (Resources/blns.json, MIT, see blns.LICENSE.txt) as key names and
/// descriptions through create and patch: never a 5xx; what is accepted reads back exactly as sent (after the
/// documented trimming of surrounding white space); what is refused gets 400 problem details and creates nothing.
/// </summary>
public sealed class NaughtyStringsTests(AppWithKeysInEveryState app) : IClassFixture<AppWithKeysInEveryState>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<string> Corpus { get; } = LoadCorpus();

    [Fact]
    public void The_corpus_is_the_whole_list() => Assert.True(Corpus.Count > 400, $"Only {Corpus.Count} strings loaded.");

    [Theory]
    [InlineData("name")]
    [InlineData("description")]
    public async Task Every_naughty_string_through_create(string field)
    {
        var client = app.ApiClient(app.OwnerKey.Secret);
        var failures = new List<string>();
        foreach (var naughty in Corpus)
        {
            var body = new Dictionary<string, object?> { ["name"] = "naughty", ["description"] = "", ["scopes"] = new[] { "keys:read" }, [field] = naughty };
            var before = await DatabaseSnapshot.CountsAsync(app);
            var response = await client.PostAsJsonAsync("/api/v1/keys", body);
            var failure = response.StatusCode == HttpStatusCode.Created
                ? await RoundTripFailureAsync(client, (await response.Content.ReadFromJsonAsync<IssuedKeyResponse>(Json))!.Key.Id, field, naughty)
                : await RefusalFailureAsync(response, field, before, () => DatabaseSnapshot.CountsAsync(app));
            if (failure is not null) failures.Add($"{JsonSerializer.Serialize(naughty)}: {failure}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("description")]
    public async Task Every_naughty_string_through_patch(string field)
    {
        var client = app.ApiClient(app.OwnerKey.Secret);
        var key = await app.CreateKeyAsync(WorldKeys.KeyRequest("patched"));
        var failures = new List<string>();
        foreach (var naughty in Corpus)
        {
            var before = await KeyStateAsync(key.Key.Id);
            var response = await client.PatchAsJsonAsync($"/api/v1/keys/{key.Key.Id}", new Dictionary<string, string> { [field] = naughty });
            var failure = response.StatusCode == HttpStatusCode.OK
                ? await RoundTripFailureAsync(client, key.Key.Id, field, naughty)
                : await RefusalFailureAsync(response, field, before, () => KeyStateAsync(key.Key.Id));
            if (failure is not null) failures.Add($"{JsonSerializer.Serialize(naughty)}: {failure}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private async Task<string> KeyStateAsync(string keyId)
    {
        var row = (await app.KeyRowAsync(keyId))!;
        return JsonSerializer.Serialize(new { row.Name, row.Description, row.ConcurrencyStamp, counts = await DatabaseSnapshot.CountsAsync(app) });
    }

    private static async Task<string?> RoundTripFailureAsync(HttpClient client, string keyId, string field, string sent)
    {
        var key = await client.GetFromJsonAsync<ApiKeyResponse>($"/api/v1/keys/{keyId}", Json);
        var stored = field == "name" ? key!.Name : key!.Description;
        return stored == sent.Trim() ? null : $"read back as {JsonSerializer.Serialize(stored)}";
    }

    private static async Task<string?> RefusalFailureAsync(HttpResponseMessage response, string field, string stateBefore, Func<Task<string>> state)
    {
        if (response.StatusCode != HttpStatusCode.BadRequest) return $"answered {(int)response.StatusCode}";
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return "400 without problem details";
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        if (!problem.TryGetProperty("errors", out var errors) || !errors.TryGetProperty(field, out _)) return $"400 without an error for {field}";
        return await state() == stateBefore ? null : "refused, yet something changed";
    }

    private static List<string> LoadCorpus()
    {
        using var stream = typeof(NaughtyStringsTests).Assembly.GetManifestResourceStream("blns.json")
            ?? throw new InvalidOperationException("The blns.json resource is missing.");
        return JsonSerializer.Deserialize<List<string>>(stream)!;
    }
}
