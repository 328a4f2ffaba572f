using System.Text;
using KeyDashboard.Audit;
using KeyDashboard.AuditLog;
using KeyDashboard.Tests.TestSupport;
using static KeyDashboard.Tests.TestSupport.WorldAudit;

namespace KeyDashboard.Tests.AuditLog;

public sealed class AuditCsvTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 21, 30, 15, 250, TimeSpan.FromHours(9));

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("a=b", "a=b")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Cells_that_could_start_a_formula_are_defused_and_special_characters_quoted(string? value, string expected) =>
        Assert.Equal(expected, AuditCsv.Cell(value));

    [Fact]
    public async Task Rows_read_back_as_the_entries_with_utc_iso_8601_times()
    {
        var entry = Entry(Guid.NewGuid(), AuditActions.KeyEdited, At, actorName: "admin@acme.test", actorId: "u1", targetId: "k1",
            targetName: "billing, \"main\"", details: "line one\r\nline two");

        var rows = Csv.Parse(await WriteAsync([entry]));

        Assert.Equal(AuditCsv.Header, rows[0]);
        Assert.Equal(
            ["2026-11-23T12:30:15.250Z", "user", "admin@acme.test", "u1", "key.edited", "key", "billing, \"main\"", "k1", "198.51.100.7", "line one\r\nline two"],
            rows[1]);
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public async Task Rows_reach_the_output_while_the_entries_are_still_being_read()
    {
        var output = new MemoryStream();
        var bytesWhenTheLastEntryWasRead = -1L;

        async IAsyncEnumerable<AuditEntry> Entries()
        {
            for (var i = 0; i < 50_000; i++)
            {
                if (i == 49_999) bytesWhenTheLastEntryWasRead = output.Length;
                yield return Entry(Guid.Empty, AuditActions.KeyCreated, At, targetId: $"key-{i}");
            }
            await Task.CompletedTask;
        }

        await AuditCsv.WriteAsync(Entries(), output);

        // Before the last entry was even read, all but the last unflushed batch had gone out.
        var rowLength = output.Length / 50_001.0;
        Assert.True(bytesWhenTheLastEntryWasRead > output.Length - rowLength * (AuditCsv.FlushEvery + 1),
            $"{bytesWhenTheLastEntryWasRead} of {output.Length} bytes were written before the last entry was read.");
        Assert.Equal(50_001, Csv.Parse(Encoding.UTF8.GetString(output.ToArray())).Count);
    }

    private static async Task<string> WriteAsync(IEnumerable<AuditEntry> entries)
    {
        var output = new MemoryStream();
        await AuditCsv.WriteAsync(entries.ToAsyncEnumerable(), output);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
