using System.Diagnostics;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>
/// The app restarted under an open page, as a deploy does: the reconnect banner must end in a page that works
/// (rejoined, or reloaded into a new circuit), not in "Rejoin failed" for as long as the tab stays open.
/// </summary>
public sealed class ServerRestartTests(DashboardServer server) : BrowserTest(server)
{
    [BrowserFact]
    public async Task After_a_restart_the_banner_reloads_into_a_working_page()
    {
        var port = SmtpSink.FreePort();
        var dataDirectory = Directory.CreateTempSubdirectory("kd-restart-").FullName;
        var app = await StartAppAsync(port, dataDirectory);
        try
        {
            await using var context = await Server.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = $"http://127.0.0.1:{port}" });
            var page = await context.NewPageAsync();
            await DashboardPage.LogInAsync(page, "owner@example.com");
            await page.EvaluateAsync("() => window.beforeTheRestart = true");

            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            var banner = page.Locator("#components-reconnect-modal");
            await Assertions.Expect(banner).ToContainTextAsync("Rejoin failed", new() { Timeout = 15_000 });
            // Down long enough for several failed attempts, never more than a few seconds apart.
            var countdowns = new List<int>();
            for (var sample = 0; sample < 16; sample++)
            {
                if (int.TryParse(await page.Locator("#components-seconds-to-next-attempt").TextContentAsync(), out var seconds)) countdowns.Add(seconds);
                await Task.Delay(500);
            }
            Assert.NotEmpty(countdowns);
            Assert.All(countdowns, seconds => Assert.InRange(seconds, 0, 3));
            app.Dispose();
            app = await StartAppAsync(port, dataDirectory);

            await page.WaitForFunctionAsync("() => window.beforeTheRestart === undefined", null, new() { Timeout = 20_000 });
            await Assertions.Expect(banner).Not.ToBeVisibleAsync();
            await DashboardPage.WaitForKeysAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Dialog, new() { Name = "Create API key" })).ToBeVisibleAsync();
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            app.Dispose();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>The built app in its own process (Development: the demo data and the static assets of the build).</summary>
    private static async Task<Process> StartAppAsync(int port, string dataDirectory)
    {
        var appDll = typeof(Program).Assembly.Location;
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(dotnet, [appDll]) { WorkingDirectory = Path.GetDirectoryName(appDll), RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["KeyDashboard__DataDirectory"] = dataDirectory;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync("/health/live")).IsSuccessStatusCode) return process;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"The app did not start on port {port}.");
    }
}
