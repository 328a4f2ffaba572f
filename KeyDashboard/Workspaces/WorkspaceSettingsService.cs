using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Members;
using KeyDashboard.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Workspaces;

/// <summary>
/// Creating a workspace, and its settings: name, plan, key policy and whether owners and admins need two-factor
/// authentication. Only owners change settings; the role is read from the database on every call and anyone outside
/// the workspace gets "not found". Every change is audited in its own transaction and announced on
/// <see cref="WorkspaceChanges"/> once committed.
/// </summary>
public sealed class WorkspaceSettingsService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, WorkspaceChanges changes)
{
    public const int LongestLifetimeDays = 3650;

    /// <summary>A new workspace on the Free plan, with the actor as its owner and as their current workspace.</summary>
    public async Task<OperationResult<WorkspaceChoice>> CreateAsync(Actor actor, string? name, CancellationToken ct = default)
    {
        var (cleanName, nameError) = DisplayNames.Check(name);
        if (nameError is not null) return OperationResult<WorkspaceChoice>.Invalid("name", nameError);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == actor.UserId, ct);
        if (user is null) return OperationResult<WorkspaceChoice>.NotFound("No such user.");

        var now = clock.GetUtcNow();
        var workspace = new Workspace { Name = cleanName!, CreatedAt = now };
        db.Workspaces.Add(workspace);
        db.Memberships.Add(new Membership { Workspace = workspace, UserId = user.Id, Role = Roles.Owner, JoinedAt = now });
        user.CurrentWorkspaceId = workspace.Id;
        AuditTrail.Add(db, actor, workspace.Id, AuditActions.WorkspaceCreated, now, "workspace", workspace.Id.ToString(), workspace.Name,
            new { plan = workspace.Plan.ToString() });
        await db.SaveChangesAsync(ct);
        return OperationResult<WorkspaceChoice>.Ok(new WorkspaceChoice(workspace.Id, workspace.Name, Roles.Owner, workspace.Plan));
    }

    public Task<OperationResult<Workspace>> RenameAsync(Actor actor, Guid workspaceId, string? name, CancellationToken ct = default)
    {
        var (cleanName, nameError) = DisplayNames.Check(name);
        return ChangeAsync(actor, workspaceId, nameError is null ? null : new Dictionary<string, string[]> { ["name"] = [nameError] }, dangerous: false, workspace =>
        {
            if (workspace.Name == cleanName) return null;
            var details = new { oldName = workspace.Name, name = cleanName };
            workspace.Name = cleanName!;
            return (AuditActions.WorkspaceRenamed, details);
        }, ct);
    }

    /// <summary>A simulated upgrade or downgrade: no payment. On Free, live keys stop being created and used.</summary>
    public Task<OperationResult<Workspace>> ChangePlanAsync(Actor actor, Guid workspaceId, WorkspacePlan plan, CancellationToken ct = default) =>
        ChangeAsync(actor, workspaceId, Enum.IsDefined(plan) ? null : new Dictionary<string, string[]> { ["plan"] = ["Plan must be Free or Paid."] }, dangerous: true, workspace =>
        {
            if (workspace.Plan == plan) return null;
            var details = new { oldPlan = workspace.Plan.ToString(), plan = plan.ToString() };
            workspace.Plan = plan;
            return (AuditActions.WorkspacePlanChanged, details);
        }, ct);

    /// <summary>The lifetime new keys get by default, the longest they may get (null: no limit), and whether they may never expire.</summary>
    public Task<OperationResult<Workspace>> ChangePolicyAsync(Actor actor, Guid workspaceId, KeyPolicy policy, CancellationToken ct = default) =>
        ChangeAsync(actor, workspaceId, PolicyErrors(policy), dangerous: true, workspace =>
        {
            var old = KeyPolicy.Of(workspace);
            if (old == policy) return null;
            workspace.DefaultKeyLifetimeDays = policy.DefaultLifetimeDays;
            workspace.MaxKeyLifetimeDays = policy.MaxLifetimeDays;
            workspace.AllowNeverExpiringKeys = policy.AllowNeverExpiring;
            return (AuditActions.WorkspacePolicyChanged, new { old, policy });
        }, ct);

    /// <summary>
    /// "Require two-factor authentication for owners and admins" (see <see cref="Workspace.RequireTwoFactorForManagers"/>).
    /// An owner without two-factor authentication can't turn it on: it would lock them out at once.
    /// </summary>
    public Task<OperationResult<Workspace>> ChangeTwoFactorRequirementAsync(Actor actor, Guid workspaceId, bool require, CancellationToken ct = default) =>
        ChangeAsync(actor, workspaceId, null, dangerous: true, workspace =>
        {
            if (workspace.RequireTwoFactorForManagers == require) return null;
            workspace.RequireTwoFactorForManagers = require;
            return (AuditActions.WorkspaceTwoFactorRequirementChanged, new { required = require });
        }, ct, refusal: !require ? null : async db =>
            await db.Users.AnyAsync(u => u.Id == actor.UserId && u.TwoFactorEnabled, ct) ? null : Permissions.RequireTwoFactorWithoutItRefusal);

    public static Dictionary<string, string[]>? PolicyErrors(KeyPolicy policy)
    {
        var errors = new Dictionary<string, string[]>();
        if (policy.DefaultLifetimeDays is < 1 or > LongestLifetimeDays)
            errors[nameof(KeyPolicy.DefaultLifetimeDays)] = [$"Default lifetime must be between 1 and {LongestLifetimeDays} days."];
        if (policy.MaxLifetimeDays is < 1 or > LongestLifetimeDays)
            errors[nameof(KeyPolicy.MaxLifetimeDays)] = [$"Longest lifetime must be between 1 and {LongestLifetimeDays} days, or empty for no limit."];
        else if (policy.MaxLifetimeDays < policy.DefaultLifetimeDays && !errors.ContainsKey(nameof(KeyPolicy.DefaultLifetimeDays)))
            errors[nameof(KeyPolicy.DefaultLifetimeDays)] = ["Default lifetime cannot be longer than the longest lifetime."];
        return errors.Count == 0 ? null : errors;
    }

    /// <summary>
    /// Applies <paramref name="change"/> (which returns the audit action and details, or null for no change) if the actor may
    /// manage the workspace, <paramref name="refusal"/>, when given, finds no reason against it, and, for a
    /// <paramref name="dangerous"/> change (plan, policies), the actor has confirmed it's them recently.
    /// </summary>
    private async Task<OperationResult<Workspace>> ChangeAsync(Actor actor, Guid workspaceId, IReadOnlyDictionary<string, string[]>? errors,
        bool dangerous, Func<Workspace, (string Action, object Details)?> change, CancellationToken ct, Func<AppDbContext, Task<string?>>? refusal = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.ManageWorkspace, ct);
        if (!access.Succeeded) return access.As<Workspace>();
        if (errors is not null) return OperationResult<Workspace>.Invalid(errors);
        if (refusal is not null && await refusal(db) is { } reason) return OperationResult<Workspace>.Forbidden(reason);

        var workspace = await db.Workspaces.SingleAsync(w => w.Id == workspaceId, ct);
        if (change(workspace) is not { } audit) return OperationResult<Workspace>.Ok(workspace);
        var now = clock.GetUtcNow();
        // The change is on the tracked row only: refused here, it is never saved.
        if (dangerous && await Reauthentication.NeedsConfirmationAsync(db, actor, now, ct)) return OperationResult<Workspace>.ReauthenticationRequired();
        AuditTrail.Add(db, actor, workspaceId, audit.Action, now, "workspace", workspaceId.ToString(), workspace.Name, audit.Details);
        await changes.SaveAsync(db, workspaceId, ct);
        return OperationResult<Workspace>.Ok(workspace);
    }

}

/// <summary>A workspace's rules for new keys' expiry.</summary>
public sealed record KeyPolicy(int DefaultLifetimeDays, int? MaxLifetimeDays, bool AllowNeverExpiring)
{
    public static KeyPolicy Of(Workspace workspace) =>
        new(workspace.DefaultKeyLifetimeDays, workspace.MaxKeyLifetimeDays, workspace.AllowNeverExpiringKeys);
}
