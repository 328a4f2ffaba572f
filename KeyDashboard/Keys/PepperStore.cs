using System.Security.Cryptography;
using KeyDashboard.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Keys;

/// <summary>
/// Finds the pepper for key hashes: from configuration when an operator sets one (best: from a secret store),
/// otherwise generated once and kept encrypted with Data Protection: on PostgreSQL in the database, which every
/// instance reads (<see cref="StoredPepper"/>); on SQLite in the data folder, beside the database.
/// </summary>
public static class PepperStore
{
    public const string FileName = "pepper.protected";
    private const string Purpose = "KeyDashboard.Keys.Pepper";
    private const int Bytes = 32;

    /// <summary>On SQLite: a generated pepper lives in the data folder.</summary>
    public static byte[] Load(string? configuredPepper, string dataDirectory, IDataProtectionProvider dataProtection) =>
        Configured(configuredPepper) ?? FromFile(Path.Combine(dataDirectory, FileName), dataProtection.CreateProtector(Purpose));

    /// <summary>On PostgreSQL: a generated pepper lives in the database, for every instance.</summary>
    public static byte[] Load(string? configuredPepper, AppDbContext db, IDataProtectionProvider dataProtection) =>
        Configured(configuredPepper) ?? FromDatabase(db, dataProtection.CreateProtector(Purpose));

    private static byte[]? Configured(string? configuredPepper)
    {
        if (string.IsNullOrWhiteSpace(configuredPepper)) return null;
        var bytes = Convert.FromBase64String(configuredPepper);
        if (bytes.Length < Bytes) throw new InvalidOperationException("KeyDashboard:Keys:Pepper must be at least 32 bytes, base64-encoded.");
        return bytes;
    }

    private static byte[] FromDatabase(AppDbContext db, IDataProtector protector)
    {
        var stored = db.StoredPeppers.AsNoTracking().Select(p => p.Protected).SingleOrDefault();
        if (stored is null)
        {
            var generated = protector.Protect(RandomNumberGenerator.GetBytes(Bytes));
            // Instances starting together each generate one: the first insert wins, and every instance reads that one back.
            db.Database.ExecuteSql($"""INSERT INTO "StoredPeppers" ("Id", "Protected") VALUES ({StoredPepper.SingleId}, {generated}) ON CONFLICT ("Id") DO NOTHING""");
            stored = db.StoredPeppers.AsNoTracking().Select(p => p.Protected).Single();
        }
        return protector.Unprotect(stored);
    }

    private static byte[] FromFile(string path, IDataProtector protector)
    {
        if (File.Exists(path)) return protector.Unprotect(File.ReadAllBytes(path));

        var pepper = RandomNumberGenerator.GetBytes(Bytes);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // CreateNew: if two processes race on a fresh data folder, one of them fails instead of both writing.
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            file.Write(protector.Protect(pepper));
        return pepper;
    }
}
