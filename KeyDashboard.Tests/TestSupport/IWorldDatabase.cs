using KeyDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// A database holding the <see cref="TestWorld"/>, with the app's services over it: a <see cref="TestDatabase"/>
/// (services without the web host, a fake clock) or a running <see cref="KeyDashboardFactory"/>. The helpers in
/// <see cref="WorldKeys"/>, <see cref="WorldMembers"/>, <see cref="WorldAudit"/> and <see cref="DatabaseSnapshot"/>
/// work on either.
/// </summary>
public interface IWorldDatabase
{
    TestWorld World { get; }
    IDbContextFactory<AppDbContext> DbFactory { get; }
    TimeProvider Clock { get; }

    /// <summary>The key, membership and workspace services, among others.</summary>
    IServiceProvider Services { get; }
}
