using System.Text;
using System.Text.Json;
using Deque.AxeCore.Commons;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>
/// axe-core against the page, or part of it, as it is now. Reports only "serious" and "critical" violations, each
/// with its rule id, impact, help link and the selector and markup of every node concerned.
/// </summary>
/// <remarks>
/// axe runs in the page itself and hands back its violations only. The package's own <c>RunAxe</c> takes about six
/// seconds a call where this takes half of one: it finishes every run in a new blank page and ships every passing
/// node's markup back to .NET. Same bundled axe-core, same rules, same context (the document or the element).
/// </remarks>
internal static class Axe
{
    private static readonly string[] BlockingImpacts = ["serious", "critical"];
    private static readonly Lazy<string> Source = new(() => new BundledAxeScriptProvider().GetScript());

    private const string Run = """
        async context => JSON.stringify((await axe.run(context ?? document, { resultTypes: ['violations'] })).violations
            .map(v => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                         nodes: v.nodes.map(n => ({ target: n.target.join(' '), html: n.html })) })))
        """;

    /// <summary>The serious and critical violations on the whole page, as a report; null when there are none.</summary>
    public static async Task<string?> SeriousViolationsAsync(IPage page, string what)
    {
        // Mid-animation (a dialog fading in) colours are not the real ones: contrast would be misjudged.
        await DashboardPage.WaitForAnimationsAsync(page);
        await LoadAsync(page);
        return Report(await page.EvaluateAsync<string>(Run, null), what);
    }

    /// <summary>The same, for one part of the page (an open dialog).</summary>
    public static async Task<string?> SeriousViolationsAsync(ILocator part, string what)
    {
        await DashboardPage.WaitForAnimationsAsync(part.Page);
        await LoadAsync(part.Page);
        return Report(await part.EvaluateAsync<string>(Run), what);
    }

    public static void AssertNone(params string?[] reports)
    {
        var failures = reports.Where(r => r is not null).ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine + Environment.NewLine, failures));
    }

    /// <summary>Once per document: a navigation starts a new one without axe.</summary>
    private static async Task LoadAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
            await page.EvaluateAsync(Source.Value);
    }

    private static string? Report(string violations, string what)
    {
        var blocking = JsonSerializer.Deserialize<Violation[]>(violations, JsonSerializerOptions.Web)!.Where(v => BlockingImpacts.Contains(v.Impact)).ToList();
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

    private sealed record Violation(string Id, string? Impact, string Help, string HelpUrl, ViolationNode[] Nodes);

    private sealed record ViolationNode(string Target, string Html);
}
