using System.Security.Cryptography;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>What an authenticator app does with the key a person types in or scans.</summary>
public static class AuthenticatorApp
{
    /// <summary>The code an authenticator app shows now for <paramref name="base32Key"/> (RFC 6238: HMAC-SHA1, 30-second steps, six digits).</summary>
    public static string Code(string base32Key)
    {
        var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian) Array.Reverse(counter);
        var hash = HMACSHA1.HashData(Base32(base32Key), counter);
        var offset = hash[^1] & 0x0F;
        var value = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (value % 1_000_000).ToString("D6");
    }

    /// <summary>The key's bytes; spaces and casing don't matter, as the authenticator page says.</summary>
    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = string.Concat(text.Replace(" ", "").TrimEnd('=').ToUpperInvariant()
            .Select(c => Convert.ToString(alphabet.IndexOf(c), 2).PadLeft(5, '0')));
        return Enumerable.Range(0, bits.Length / 8).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2)).ToArray();
    }
}
