using System.Linq.Expressions;
using KeyDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Keys;

/// <summary>
/// Finds the key a presented string belongs to, by its hash: for API authentication, the leaked-key lookup and leak
/// reports. A malformed string or a bad checksum is refused before any database query.
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
        // The index found the row; this says which of its two secrets matched.
        return key is null ? null : Match(key, hash);
    }

    /// <summary>
    /// The keys <paramref name="presented"/> hold, each once and in the order presented, in one query: by its current secret when that is among
    /// them, else by a rotation's previous secret. Strings that are not well-formed keys are dropped unread.
    /// </summary>
    public async Task<IReadOnlyList<KeyMatch>> FindAllAsync(IEnumerable<string> presented, CancellationToken ct = default)
    {
        var hashes = presented.Where(p => format.IsWellFormed(p)).Select(p => hasher.Hash(p)).ToList();
        if (hashes.Count == 0) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await WithSecretHashIn(db.ApiKeys.AsNoTracking(), hashes).ToListAsync(ct);
        // In the order they were presented; a key presented by both its secrets counts by the current one.
        return keys.Select(key => hashes.Select((hash, at) => (Match: Match(key, hash), At: at)).Where(m => m.Match is not null)
                .OrderBy(m => m.Match!.ViaPreviousSecret).First())
            .OrderBy(m => m.At).Select(m => m.Match!).ToList();
    }

    /// <summary>
    /// The keys whose current secret, or a rotation's previous secret, has one of <paramref name="hashes"/>: one
    /// indexed query for all of them, as <see cref="FindAsync"/> asks for one.
    /// </summary>
    internal static IQueryable<ApiKey> WithSecretHashIn(IQueryable<ApiKey> keys, IReadOnlyCollection<byte[]> hashes)
    {
        // One parameter per hash, compared as a blob. (A hash list passed as one collection parameter would go to SQLite
        // as JSON, whose base64 strings never equal a blob column: it would silently match nothing.)
        var key = Expression.Parameter(typeof(ApiKey), "k");
        Expression? any = null;
        foreach (var hash in hashes)
        {
            var value = Expression.Property(Expression.Constant(new HashParameter(hash)), nameof(HashParameter.Hash));
            var either = Expression.OrElse(
                Expression.Equal(Expression.Property(key, nameof(ApiKey.SecretHash)), value),
                Expression.Equal(Expression.Property(key, nameof(ApiKey.PreviousSecretHash)), value));
            any = any is null ? either : Expression.OrElse(any, either);
        }
        return any is null ? keys.Where(_ => false) : keys.Where(Expression.Lambda<Func<ApiKey, bool>>(any, key));
    }

    /// <summary>Which of the key's two secrets <paramref name="hash"/> is, without a timing signal; null for neither.</summary>
    internal static KeyMatch? Match(ApiKey key, byte[] hash)
    {
        if (ApiKeyHasher.HashesEqual(key.SecretHash, hash)) return new KeyMatch(key, ViaPreviousSecret: false);
        return key.PreviousSecretHash is not null && ApiKeyHasher.HashesEqual(key.PreviousSecretHash, hash)
            ? new KeyMatch(key, ViaPreviousSecret: true)
            : null;
    }

    // A member of a closure-like object, so EF Core sends the value as a parameter rather than inlining it.
    private sealed record HashParameter(byte[] Hash);
}

/// <summary>
/// A stored key whose current secret, or a rotation's previous secret, matched. Whether it may be used is the API's
/// decision: <c>ApiKeyAuthenticator.CheckMatchAsync</c>.
/// </summary>
public sealed record KeyMatch(ApiKey Key, bool ViaPreviousSecret);
