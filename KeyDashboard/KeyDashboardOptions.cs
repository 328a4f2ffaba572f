namespace KeyDashboard;

/// <summary>The <c>KeyDashboard</c> section of appsettings.json.</summary>
public sealed class KeyDashboardOptions
{
    public const string Section = "KeyDashboard";

    /// <summary>Folder for the SQLite file, the generated pepper and the Data Protection keys; relative to the content root.</summary>
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>Fill an empty database with the demo workspaces, accounts and keys on start.</summary>
    public bool SeedDemoData { get; set; }

    /// <summary>
    /// Origins (<c>https://keys.example.com</c>) whose pages may open a dashboard session (the <c>/_blazor</c>
    /// circuit). Empty: only the origin the request itself was sent to (its scheme, host and port).
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Reverse proxies (addresses such as <c>10.0.0.5</c>, or networks such as <c>10.0.0.0/24</c>) whose
    /// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> headers are believed. Empty: none, not even loopback.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>
    /// The dashboard's address as its users reach it (<c>https://keys.example.com</c>): the base of every link in an
    /// e-mail and of the password reset link <c>reset-password</c> prints. Without it, links are built from the address
    /// of the request that sends the mail, and mail sent outside a request (the expiry digest) carries no link.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>127.0.0.1:6379</c>, <c>redis.example.com:6380,password=…,ssl=true</c>).
    /// Set, the API's per-key and failed-authentication limits are counted there, shared by every instance; empty, each
    /// instance counts its own.
    /// </summary>
    public string? Redis { get; set; }

    public Email.EmailSettings Email { get; set; } = new();

    public KeySettings Keys { get; set; } = new();

    public Api.ApiSettings Api { get; set; } = new();

    public SignIn.SignInSettings SignIn { get; set; } = new();

    public Cluster.ClusterSettings Cluster { get; set; } = new();

    /// <summary>Resources a hosting product adds to the built-in ones, each with the actions a key may be granted.</summary>
    public Dictionary<string, string[]> Scopes { get; set; } = [];

    public sealed class KeySettings
    {
        /// <summary>First part of every key: <c>kd</c> gives <c>kd_live_…</c>.</summary>
        public string Prefix { get; set; } = "kd";

        /// <summary>Base64 pepper for the key hashes. When empty, one is generated and kept in the data folder.</summary>
        public string? Pepper { get; set; }
    }
}
