using KeyDashboard.Data;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// The database this test assembly runs on: SQLite in KeyDashboard.Tests, PostgreSQL in KeyDashboard.Tests.PostgreSQL,
/// which compiles the same service, HTTP and API tests with <c>POSTGRESQL</c> defined.
/// </summary>
public static class TestProvider
{
#if POSTGRESQL
    public const DatabaseProvider Current = DatabaseProvider.PostgreSQL;
#else
    public const DatabaseProvider Current = DatabaseProvider.Sqlite;
#endif
    public static bool IsPostgreSql => Current == DatabaseProvider.PostgreSQL;
}
