using Bunit;

namespace KeyDashboard.Tests.TestSupport;

public static class CopyableValueInterop
{
    /// <summary>The copy module as a browser that answers <paramref name="outcome"/> (null: the call throws, as a broken browser's would).</summary>
    public static BunitJSModuleInterop Copying(BunitJSInterop interop, string? outcome)
    {
        var module = interop.SetupModule("./Components/Shared/CopyableValue.razor.js");
        var copy = module.Setup<string?>("copy", _ => true);
        if (outcome is null) copy.SetException(new Microsoft.JSInterop.JSException("navigator.clipboard is undefined"));
        else copy.SetResult(outcome);
        return module;
    }
}
