namespace KeyDashboard.Keys;

/// <summary>
/// Every scope a key may be given: <c>resource:action</c>. The dashboard's own resources allow every action;
/// a hosting product adds its resources in configuration, each with the actions it allows.
/// </summary>
public sealed class ScopeCatalog
{
    public static readonly IReadOnlyList<string> Actions = ["read", "write", "delete"];
    public static readonly IReadOnlyList<string> BuiltInResources = ["keys", "members", "audit", "usage", "workspace"];

    private readonly HashSet<string> _scopes = new(StringComparer.Ordinal);

    public ScopeCatalog(IReadOnlyDictionary<string, string[]>? extraResources = null)
    {
        var resources = new List<ScopeResource>();
        foreach (var name in BuiltInResources) resources.Add(new ScopeResource(name, Actions));
        foreach (var (name, actions) in extraResources ?? new Dictionary<string, string[]>())
        {
            if (string.IsNullOrWhiteSpace(name) || name.Contains(':') || name.Any(char.IsWhiteSpace))
                throw new InvalidOperationException($"Scope resource '{name}' must be a word without spaces or colons.");
            if (resources.Any(r => r.Name == name))
                throw new InvalidOperationException($"Scope resource '{name}' is defined twice.");
            var unknown = actions.Except(Actions).ToList();
            if (unknown.Count > 0 || actions.Length == 0)
                throw new InvalidOperationException($"Scope resource '{name}' must allow some of read, write, delete.");
            resources.Add(new ScopeResource(name, Actions.Where(actions.Contains).ToList()));
        }
        Resources = resources;
        foreach (var resource in resources)
            foreach (var action in resource.Actions) _scopes.Add($"{resource.Name}:{action}");
    }

    public IReadOnlyList<ScopeResource> Resources { get; }

    public IEnumerable<string> AllScopes => Resources.SelectMany(r => r.Actions.Select(a => $"{r.Name}:{a}"));

    public bool Contains(string scope) => _scopes.Contains(scope);
}

public sealed record ScopeResource(string Name, IReadOnlyList<string> Actions);
