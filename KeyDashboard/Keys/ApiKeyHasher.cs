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

    public ApiKeyHasher(byte[] pepper)
    {
        if (pepper.Length < 32) throw new ArgumentException("The pepper must be at least 32 bytes.", nameof(pepper));
        _pepper = pepper.ToArray();
    }

    public byte[] Hash(ReadOnlySpan<char> key)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(key.Length);
        Span<byte> utf8 = maxBytes <= 256 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        var hash = HMACSHA256.HashData(_pepper, utf8[..length]);
        CryptographicOperations.ZeroMemory(utf8);
        return hash;
    }

    /// <summary>Constant-time: how long it takes says nothing about how much of the hash matched.</summary>
    public static bool HashesEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => CryptographicOperations.FixedTimeEquals(a, b);
}
