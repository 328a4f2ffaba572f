using System.Security.Cryptography;
using System.Text;

namespace KeyDashboard.Keys;

/// <summary>
/// HMAC-SHA256 of a key under a server-side pepper. The pepper lives outside the database, so a stolen
/// database alone cannot be used to test guesses against the stored hashes.
/// </summary>
public sealed class ApiKeyHasher
{
    public const int HashLength = 32;
    private readonly byte[] _pepper;
    // A keyed HMAC per thread: keying one for each hash costs about as much again as the hash itself.
    private readonly ThreadLocal<HMACSHA256> _hmac;

    public ApiKeyHasher(byte[] pepper)
    {
        if (pepper.Length < 32) throw new ArgumentException("The pepper must be at least 32 bytes.", nameof(pepper));
        _pepper = pepper.ToArray();
        _hmac = new ThreadLocal<HMACSHA256>(() => new HMACSHA256(_pepper));
    }

    public byte[] Hash(ReadOnlySpan<char> key)
    {
        var hash = new byte[HashLength];
        Hash(key, hash);
        return hash;
    }

    /// <summary>Writes the <see cref="HashLength"/>-byte hash of <paramref name="key"/> to <paramref name="destination"/>.</summary>
    public void Hash(ReadOnlySpan<char> key, Span<byte> destination)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(key.Length);
        Span<byte> utf8 = maxBytes <= 256 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        _hmac.Value!.TryComputeHash(utf8[..length], destination, out _);
        CryptographicOperations.ZeroMemory(utf8);
    }

    /// <summary>Constant-time: how long it takes says nothing about how much of the hash matched.</summary>
    public static bool HashesEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => CryptographicOperations.FixedTimeEquals(a, b);
}
