using Microsoft.AspNetCore.DataProtection;

namespace KeyDashboard.Keys;

/// <summary>
/// Finds the pepper for key hashes: from configuration when an operator sets one (best: from a secret store),
/// otherwise generated once and kept in the data folder, encrypted with Data Protection.
/// </summary>
public static class PepperStore
{
    public const string FileName = "pepper.protected";
    private const string Purpose = "KeyDashboard.Keys.Pepper";

    public static byte[] Load(string? configuredPepper, string dataDirectory, IDataProtectionProvider dataProtection)
    {
        if (!string.IsNullOrWhiteSpace(configuredPepper))
        {
            var bytes = Convert.FromBase64String(configuredPepper);
            if (bytes.Length < 32) throw new InvalidOperationException("KeyDashboard:Keys:Pepper must be at least 32 bytes, base64-encoded.");
            return bytes;
        }

        var protector = dataProtection.CreateProtector(Purpose);
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path)) return protector.Unprotect(File.ReadAllBytes(path));

        var pepper = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(dataDirectory);
        // CreateNew: if two processes race on a fresh data folder, one of them fails instead of both writing.
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            file.Write(protector.Protect(pepper));
        return pepper;
    }
}
