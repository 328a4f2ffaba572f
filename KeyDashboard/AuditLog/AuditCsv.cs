using System.Globalization;
using System.Text;
using KeyDashboard.Audit;

namespace KeyDashboard.AuditLog;

/// <summary>
/// Writes audit entries as RFC 4180 CSV (CRLF rows, quoted cells where needed) with times in UTC ISO 8601. Cells
/// that a spreadsheet would run as a formula are defused with a leading apostrophe: an entry's target name or
/// details come from users, and opening the export must never execute them.
/// </summary>
public static class AuditCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>Rows written between two flushes to the response.</summary>
    public const int FlushEvery = 500;

    public static readonly IReadOnlyList<string> Header =
        ["Time (UTC)", "Actor type", "Actor", "Actor id", "Action", "Target type", "Target", "Target id", "Client address", "Details"];

    /// <summary>Writes the header, then each entry as it arrives, handing them to <paramref name="output"/> in batches.</summary>
    public static async Task WriteAsync(IAsyncEnumerable<AuditEntry> entries, Stream output, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        await WriteRowAsync(writer, Header);
        var rows = 0;
        await foreach (var entry in entries.WithCancellation(ct))
        {
            await WriteRowAsync(writer, Row(entry));
            if (++rows % FlushEvery == 0) await writer.FlushAsync(ct);
        }
        await writer.FlushAsync(ct);
    }

    public static IReadOnlyList<string?> Row(AuditEntry entry) =>
    [
        entry.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        entry.ActorType.ToString().ToLowerInvariant(),
        entry.ActorName,
        entry.ActorId,
        entry.Action,
        entry.TargetType,
        entry.TargetName,
        entry.TargetId,
        entry.ClientAddress,
        entry.Details,
    ];

    /// <summary>One cell: formula starters defused, then quoted if it holds a comma, a quote or a line break.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    private static async Task WriteRowAsync(StreamWriter writer, IReadOnlyList<string?> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) await writer.WriteAsync(',');
            await writer.WriteAsync(Cell(cells[i]));
        }
        await writer.WriteAsync("\r\n");
    }
}
