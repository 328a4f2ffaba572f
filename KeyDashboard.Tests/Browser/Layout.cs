using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>
/// What a person sees as broken on a small screen, found in the page as laid out: a page wider than the window, a
/// control cut off at the window's edge, or two controls on top of each other.
/// </summary>
public static class Layout
{
    private const string FindProblems = """
        root => {
          const selector = 'a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=switch], [role=checkbox], [role=combobox], [role=menuitem], [tabindex="0"]';
          const visible = e => {
            const r = e.getBoundingClientRect(), s = getComputedStyle(e);
            return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && parseFloat(s.opacity) > 0 && e.checkVisibility();
          };
          const els = [...(root ? document.querySelector(root) : document).querySelectorAll(selector)].filter(visible);
          const name = e => `${e.tagName.toLowerCase()}[${(e.getAttribute('aria-label') || e.innerText || e.getAttribute('name') || e.className || '').toString().trim().slice(0, 40)}]`;
          const problems = [];
          for (let i = 0; i < els.length; i++)
            for (let j = i + 1; j < els.length; j++) {
              const a = els[i], b = els[j];
              if (a.contains(b) || b.contains(a)) continue;
              // A field's own adornments (a numeric field's arrows, a picker's button) sit inside its box by design.
              const field = a.closest('.mud-input-control');
              if (field && field === b.closest('.mud-input-control')) continue;
              const r = a.getBoundingClientRect(), q = b.getBoundingClientRect();
              const w = Math.min(r.right, q.right) - Math.max(r.left, q.left), h = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
              if (w > 2 && h > 2) problems.push(`${name(a)} overlaps ${name(b)} by ${Math.round(w)}x${Math.round(h)}`);
            }
          const width = document.documentElement.scrollWidth;
          if (width > innerWidth) problems.push(`the page is ${width} px wide in a ${innerWidth} px window`);
          const clipped = els.filter(e => { const r = e.getBoundingClientRect(); return (r.left < -1 && r.right > 0) || (r.right > innerWidth + 1 && r.left < innerWidth); }).map(name);
          if (clipped.length) problems.push(`cut off at the screen's edge: ${clipped.join(', ')}`);
          return problems;
        }
        """;

    /// <summary>Each problem in words, on the page or (by a CSS selector) in one part of it; none when it fits.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(IPage page, string? within = null) =>
        await page.EvaluateAsync<string[]>(FindProblems, within);

    public static void AssertFits(IEnumerable<(string What, IReadOnlyList<string> Problems)> pages)
    {
        var found = pages.Where(p => p.Problems.Count > 0).Select(p => $"{p.What}:\n  {string.Join("\n  ", p.Problems)}").ToList();
        Assert.True(found.Count == 0, string.Join("\n", found));
    }
}
