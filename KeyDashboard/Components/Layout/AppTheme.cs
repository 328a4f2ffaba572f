using MudBlazor;

namespace KeyDashboard.Components.Layout;

public static class AppTheme
{
    // Kept in step with wwwroot/account.css, which themes the statically rendered account pages.
    public const string Primary = "#3b4fd8";

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = Primary,
            AppbarBackground = "#1f2340",
            Background = "#f6f7fb",
            DrawerBackground = "#ffffff",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
