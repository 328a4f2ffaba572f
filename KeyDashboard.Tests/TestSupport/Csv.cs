using System.Text;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Reads RFC 4180 CSV the way a spreadsheet does: quoted cells may hold commas, doubled quotes and line breaks.</summary>
public static class Csv
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString()); cell.Clear();
                rows.Add(row); row = [];
                i++;
            }
            else cell.Append(c);
        }
        Assert.False(quoted, "The CSV ends inside a quoted cell.");
        Assert.True(row.Count == 0 && cell.Length == 0, "The CSV's last row does not end with CRLF.");
        return rows;
    }
}
