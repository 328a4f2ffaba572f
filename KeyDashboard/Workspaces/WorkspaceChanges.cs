namespace KeyDashboard.Workspaces;

/// <summary>
/// Announces, after the change has committed, that something deciding who may do what in a workspace changed:
/// a key was rotated or revoked, a member was removed or got another role, the plan or key policy changed.
/// Whatever remembers such decisions (the API's verified-key cache, open dashboard sessions) listens and forgets.
/// </summary>
public sealed class WorkspaceChanges
{
    public event Action<Guid>? Changed;

    public void Publish(Guid workspaceId) => Changed?.Invoke(workspaceId);
}
