using KeyDashboard;
using KeyDashboard.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddKeyDashboard();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.MapKeyDashboard();
app.Run();

public partial class Program;
