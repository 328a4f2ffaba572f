namespace KeyDashboard.Api;

/// <summary>The <c>KeyDashboard:Api</c> section.</summary>
public sealed class ApiSettings
{
    public const int MinimumServiceTokenLength = 32;

    /// <summary>
    /// Tokens a product's own services send as <c>Authorization: Bearer</c> to <c>POST /api/v1/verify</c>. Each at
    /// least 32 characters. None configured: verify answers 401 to everyone.
    /// </summary>
    public string[] ServiceTokens { get; set; } = [];

    public RateLimitSettings RateLimit { get; set; } = new();

    public sealed class RateLimitSettings
    {
        /// <summary>Requests one key may make per minute; the next gets 429.</summary>
        public int RequestsPerMinutePerKey { get; set; } = 1000;

        /// <summary>Failed authentications one client address may make per minute before all its API requests get 429.</summary>
        public int FailedAuthenticationsPerMinutePerAddress { get; set; } = 20;

        /// <summary>
        /// Leak reports (<c>POST /api/v1/leaks</c>) one client address may send per minute; the next gets 429. IPv6
        /// addresses count per /64, the block one client usually holds.
        /// </summary>
        public int LeakReportsPerMinutePerAddress { get; set; } = 10;
    }
}
