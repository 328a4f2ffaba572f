using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>
/// axe-core against the page, or part of it, as it is now. Reports only "serious" and "critical" violations, each
/// with its rule id, impact, help link and the selector and markup of every node concerned.
/// </summary>
internal static class Axe
{
    private static readonly string[] BlockingImpacts = ["serious", "critical"];

    /// <summary>The serious and critical violations on the whole page, as a report; null when there are none.</summary>
    public static async Task<string?> SeriousViolationsAsync(IPage page, string what)
    {
        // Mid-animation (a dialog fading in) colours are not the real ones: contrast would be misjudged.
        await DashboardServer.WaitForAnimationsAsync(page);
        return Report(await page.RunAxe(), what);
    }

    /// <summary>The same, for one part of the page (an open dialog).</summary>
    public static async Task<string?> SeriousViolationsAsync(ILocator part, string what)
    {
        await DashboardServer.WaitForAnimationsAsync(part.Page);
        return Report(await part.RunAxe(), what);
    }

    public static void AssertNone(params string?[] reports)
    {
        var failures = reports.Where(r => r is not null).ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine + Environment.NewLine, failures));
    }

    private static string? Report(AxeResult result, string what)
    {
        var blocking = result.Violations.Where(v => BlockingImpacts.Contains(v.Impact)).ToList();
        if (blocking.Count == 0) return null;

        var report = new StringBuilder($"axe-core: {blocking.Count} serious or critical violation(s) on {what}:");
        foreach (var violation in blocking)
        {
            report.AppendLine().Append($"- {violation.Id} ({violation.Impact}): {violation.Help} {violation.HelpUrl}");
            foreach (var node in violation.Nodes)
                report.AppendLine().Append($"    {node.Target}  {Shorten(node.Html)}");
        }
        return report.ToString();
    }

    private static string Shorten(string html) => html.Length <= 200 ? html : html[..200] + "…";
}
