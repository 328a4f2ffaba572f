using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("KeyDashboard.Tests.TestSupport.PostgreSqlTestFramework", "KeyDashboard.Tests.PostgreSQL")]

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// xunit's own framework, but every test of this assembly is skipped, with the reason, on a developer's machine
/// without PostgreSQL. Never when <c>CI=true</c>: there a missing server fails each test instead of passing quietly.
/// </summary>
public sealed class PostgreSqlTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        internal static readonly string? SkipReason =
            string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ? null : PostgresServer.Unavailable;

        protected override bool FindTestsForType(ITestClass testClass, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions) =>
            base.FindTestsForType(testClass, includeSourceInformation, SkipReason is null ? messageBus : new Skipping(messageBus, DiagnosticMessageSink), discoveryOptions);
    }

    /// <summary>Passes each discovered test case on as skipped for <see cref="Discoverer.SkipReason"/>.</summary>
    private sealed class Skipping(IMessageBus inner, IMessageSink diagnosticMessageSink) : IMessageBus
    {
        public bool QueueMessage(IMessageSinkMessage message) => inner.QueueMessage(
            message is ITestCaseDiscoveryMessage { TestCase: { SkipReason: null } testCase }
                ? new TestCaseDiscoveryMessage(new XunitSkippedDataRowTestCase(diagnosticMessageSink, TestMethodDisplay.ClassAndMethod,
                    TestMethodDisplayOptions.None, testCase.TestMethod, PostgresServer.Unavailable!, testCase.TestMethodArguments))
                : message);

        public void Dispose() { }
    }
}
