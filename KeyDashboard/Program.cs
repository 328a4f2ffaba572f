using KeyDashboard;
using KeyDashboard.Components.Account;
using KeyDashboard.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddKeyDashboard();

var app = builder.Build();
if (app.DataDirectoryProblem() is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    Environment.ExitCode = 1;
    return;
}
if (await AccountCommands.TryRunAsync(app, args)) return;
await app.PrepareDatabaseAsync();
app.MapKeyDashboard();
app.Run();

public partial class Program;
