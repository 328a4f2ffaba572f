using KeyDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Keys;

/// <summary>
/// Finds the key a presented string belongs to, by its hash: for API authentication and for the leaked-key
/// lookup. A malformed string or a bad checksum is refused before any database query.
/// </summary>
public sealed class ApiKeyLookup(IDbContextFactory<AppDbContext> dbFactory, ApiKeyFormat format, ApiKeyHasher hasher)
{
    public async Task<KeyMatch?> FindAsync(string? presented, CancellationToken ct = default)
    {
        if (presented is null || !format.IsWellFormed(presented)) return null;
        var hash = hasher.Hash(presented);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.SecretHash == hash || k.PreviousSecretHash == hash)
            .FirstOrDefaultAsync(ct);
        if (key is null) return null;
        // The index found the row; this says which of its two secrets matched, without a timing signal.
        if (ApiKeyHasher.HashesEqual(key.SecretHash, hash)) return new KeyMatch(key, ViaPreviousSecret: false);
        return key.PreviousSecretHash is not null && ApiKeyHasher.HashesEqual(key.PreviousSecretHash, hash)
            ? new KeyMatch(key, ViaPreviousSecret: true)
            : null;
    }
}

/// <summary>
/// A stored key whose current secret, or a rotation's previous secret, matched. Whether it may be used is the API's
/// decision: <c>ApiKeyAuthenticator.CheckMatchAsync</c>.
/// </summary>
public sealed record KeyMatch(ApiKey Key, bool ViaPreviousSecret);
