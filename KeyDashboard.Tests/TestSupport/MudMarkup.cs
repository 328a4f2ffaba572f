using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Finds MudBlazor controls in rendered markup by what a person sees: labels and button texts.</summary>
public static class MudMarkup
{
    /// <summary>The input or textarea whose visible label is <paramref name="label"/>.</summary>
    public static IElement Field<T>(this IRenderedComponent<T> cut, string label) where T : IComponent
    {
        var labels = cut.FindAll("label[for]").Where(l => l.TextContent.Trim() == label).ToList();
        Assert.True(labels.Count == 1, $"Expected one field labelled '{label}', found {labels.Count}.");
        return cut.Find($"#{labels[0].GetAttribute("for")}");
    }

    /// <summary>The button whose text is <paramref name="text"/>.</summary>
    public static IElement Button<T>(this IRenderedComponent<T> cut, string text) where T : IComponent
    {
        var buttons = cut.FindAll("button").Where(b => b.TextContent.Trim() == text).ToList();
        Assert.True(buttons.Count == 1, $"Expected one button '{text}', found {buttons.Count}.");
        return buttons[0];
    }

    /// <summary>The checkbox, radio or switch input inside the label whose text is <paramref name="text"/>.</summary>
    public static IElement Choice<T>(this IRenderedComponent<T> cut, string text) where T : IComponent
    {
        var inputs = cut.FindAll("label").Where(l => l.TextContent.Trim() == text)
            .Select(l => l.QuerySelector("input")).OfType<IElement>().ToList();
        Assert.True(inputs.Count == 1, $"Expected one choice '{text}', found {inputs.Count}.");
        return inputs[0];
    }
}
