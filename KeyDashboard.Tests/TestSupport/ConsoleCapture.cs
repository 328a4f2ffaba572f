namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Test classes that redirect <see cref="Console.Out"/> join this collection: the console is process-wide, so
/// nothing else may run beside them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}

/// <summary>
/// Redirects <see cref="Console.Out"/> until disposed. What it captures stays here (it may hold a secret): assert on
/// it, never print it. Read <see cref="Text"/> once the writers have stopped, e.g. after disposing the app.
/// </summary>
public sealed class ConsoleCapture : IDisposable
{
    private readonly TextWriter _original = Console.Out;
    private readonly StringWriter _captured = new();

    public ConsoleCapture() => Console.SetOut(_captured);

    public string Text => _captured.ToString();

    public IReadOnlyList<string> Lines => Text.Split('\n').Select(line => line.TrimEnd('\r')).ToList();

    public void Dispose() => Console.SetOut(_original);
}
