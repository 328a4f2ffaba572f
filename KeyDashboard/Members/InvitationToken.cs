using System.Buffers.Text;
using System.Security.Cryptography;

namespace KeyDashboard.Members;

/// <summary>
/// Invitation tokens: 256 random bits, base64url in the link. The database keeps only their SHA-256; a keyed
/// hash is not needed because a token this long cannot be guessed from its hash.
/// </summary>
public static class InvitationToken
{
    private const int TokenBytes = 32;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>The hash to look the token up by; null for anything that is not a token, before any query.</summary>
    public static byte[]? Hash(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length != Base64Url.GetEncodedLength(TokenBytes)) return null;
        Span<byte> bytes = stackalloc byte[TokenBytes];
        return Base64Url.TryDecodeFromChars(token, bytes, out var written) && written == TokenBytes ? SHA256.HashData(bytes) : null;
    }
}
