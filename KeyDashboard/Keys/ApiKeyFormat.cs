using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace KeyDashboard.Keys;

public enum KeyEnvironment { Test, Live }

/// <summary>
/// The key string: <c>{prefix}_{live|test}_</c>, 32 random base62 characters, then a 6-character base62 CRC32
/// of everything before it. The checksum lets a typo or a truncated key be refused without a database query,
/// and gives secret scanners a pattern to recognise.
/// </summary>
public sealed class ApiKeyFormat
{
    public const int RandomLength = 32;
    public const int ChecksumLength = 6;
    /// <summary>Random characters kept in the display prefix: enough to tell keys apart, far too few to guess one.</summary>
    public const int DisplayRandomLength = 4;

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly string _livePrefix;
    private readonly string _testPrefix;

    public ApiKeyFormat(string prefix = "kd")
    {
        if (string.IsNullOrEmpty(prefix) || prefix.Length > 16 || !prefix.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException("The key prefix must be 1 to 16 ASCII letters or digits.", nameof(prefix));
        _livePrefix = $"{prefix}_live_";
        _testPrefix = $"{prefix}_test_";
    }

    public int KeyLength(KeyEnvironment environment) => EnvironmentPrefix(environment).Length + RandomLength + ChecksumLength;

    public string EnvironmentPrefix(KeyEnvironment environment) => environment == KeyEnvironment.Live ? _livePrefix : _testPrefix;

    /// <summary>A new key from the operating system's CSPRNG (about 190 bits of randomness).</summary>
    public string Generate(KeyEnvironment environment)
    {
        var prefix = EnvironmentPrefix(environment);
        var random = RandomNumberGenerator.GetItems<char>(Base62, RandomLength);
        var body = string.Concat(prefix, new string(random));
        Span<char> checksum = stackalloc char[ChecksumLength];
        WriteChecksum(body, checksum);
        return string.Concat(body, checksum);
    }

    /// <summary>
    /// Checks shape and checksum only; says nothing about whether the key exists. Never touches the database.
    /// </summary>
    public bool TryParse(ReadOnlySpan<char> key, out KeyEnvironment environment)
    {
        environment = default;
        if (key.StartsWith(_livePrefix, StringComparison.Ordinal)) environment = KeyEnvironment.Live;
        else if (!key.StartsWith(_testPrefix, StringComparison.Ordinal)) return false;

        var prefixLength = _livePrefix.Length; // both prefixes have the same length
        if (key.Length != prefixLength + RandomLength + ChecksumLength) return false;

        var body = key[..^ChecksumLength];
        foreach (var c in body[prefixLength..])
            if (!char.IsAsciiLetterOrDigit(c)) return false;

        Span<char> expected = stackalloc char[ChecksumLength];
        WriteChecksum(body, expected);
        return expected.SequenceEqual(key[^ChecksumLength..]);
    }

    public bool IsWellFormed(ReadOnlySpan<char> key) => TryParse(key, out _);

    /// <summary>
    /// Every well-formed key inside <paramref name="text"/> (a log line, an <c>Authorization</c> header, JSON), each
    /// once, in order of appearance. Keys need no separator around them: the checksum, not the context, tells a key
    /// from a look-alike.
    /// </summary>
    public IReadOnlyList<string> KeysIn(string text)
    {
        var keyLength = _livePrefix.Length + RandomLength + ChecksumLength;
        var root = _livePrefix[..^"live_".Length];
        var found = new List<string>();
        for (var at = text.IndexOf(root, StringComparison.Ordinal); at >= 0 && at <= text.Length - keyLength;
             at = text.IndexOf(root, at, StringComparison.Ordinal))
        {
            var candidate = text.AsSpan(at, keyLength);
            if (!IsWellFormed(candidate))
            {
                at++;
                continue;
            }
            var key = candidate.ToString();
            if (!found.Contains(key)) found.Add(key);
            at += keyLength;
        }
        return found;
    }

    /// <summary>A public key id such as <c>key_3fK9…</c>: random, so ids reveal neither order nor count.</summary>
    public string NewKeyId() => "key_" + new string(RandomNumberGenerator.GetItems<char>(Base62, 20));

    /// <summary>The part shown in tables, e.g. <c>kd_live_AbC4</c>: identifies a key without exposing it.</summary>
    public string DisplayPrefix(string key) => key[..(_livePrefix.Length + DisplayRandomLength)];

    private static void WriteChecksum(ReadOnlySpan<char> body, Span<char> destination)
    {
        Span<byte> ascii = stackalloc byte[body.Length];
        Encoding.ASCII.GetBytes(body, ascii);
        Span<byte> crc = stackalloc byte[4];
        Crc32.Hash(ascii, crc);
        var value = BinaryPrimitives.ReadUInt32LittleEndian(crc);
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            destination[i] = Base62[(int)(value % 62)];
            value /= 62;
        }
    }
}
