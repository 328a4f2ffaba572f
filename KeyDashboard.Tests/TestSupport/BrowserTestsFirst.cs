using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("KeyDashboard.Tests.TestSupport.BrowserTestsFirst", "KeyDashboard.Tests")]

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Starts the browser tests before any other collection. They run one after another and take the longest, so the
/// rest of the suite fills the other thread beside them; started last, they would run on alone at the end.
/// </summary>
public sealed class BrowserTestsFirst : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(collection => collection.DisplayName == BrowserCollection.Name ? 0 : 1);
}
