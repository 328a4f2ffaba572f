namespace KeyDashboard.Sessions;

public static class SessionClaims
{
    /// <summary>The <see cref="UserSession.Id"/> a signed-in principal belongs to.</summary>
    public const string SessionId = "kd:session";
}
