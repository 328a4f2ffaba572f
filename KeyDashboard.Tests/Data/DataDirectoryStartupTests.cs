using System.Diagnostics;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Data;

/// <summary>
/// The built app, started as a process the way an operator starts it, on a data folder it cannot create: it says so in
/// one line on stderr naming the folder and exits with 1, instead of an unhandled exception's stack trace.
/// </summary>
public sealed class DataDirectoryStartupTests
{
    [Fact]
    public async Task A_data_folder_that_cannot_be_written_ends_the_start_with_one_line_naming_it_and_exit_code_1()
    {
        var root = WorldDatabaseCopies.NewDataDirectory();
        Directory.CreateDirectory(root);
        try
        {
            // A folder inside a regular file: nobody can create it, root included (the tests may run as root, where a
            // read-only folder would not stop a write).
            var blocker = Path.Combine(root, "a-file");
            await File.WriteAllTextAsync(blocker, "");
            var dataDirectory = Path.Combine(blocker, "data");

            var (exitCode, stdout, stderr) = await RunAppAsync(dataDirectory);

            Assert.Equal(1, exitCode);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith($"KeyDashboard cannot write to its data folder {dataDirectory}:", line);
            Assert.DoesNotContain("Unhandled exception", stdout);
            Assert.DoesNotContain("   at ", stdout + stderr);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAppAsync(string dataDirectory)
    {
        var appDll = typeof(Program).Assembly.Location;
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(dotnet, [appDll])
        {
            WorkingDirectory = Path.GetDirectoryName(appDll),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["KeyDashboard__DataDirectory"] = dataDirectory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The app kept running on {dataDirectory}: {await stdout}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
