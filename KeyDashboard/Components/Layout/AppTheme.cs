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
            // MudBlazor's defaults fail WCAG AA (4.5:1) for white text on the status colours, for coloured text on
            // white and for secondary text on the page background: darker shades that pass all three.
            Success = "#2e7d32",
            Warning = "#a35200",
            Error = "#c62828",
            Info = "#1565c0",
            TextSecondary = "rgba(0,0,0,0.62)",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
