using System.Net;
using System.Text.RegularExpressions;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Drives the statically rendered Identity pages the way a browser does: read the form, post it back with
/// its hidden fields (the Blazor form handler name and the antiforgery token) and the fields a test fills in.
/// </summary>
public static partial class AccountForms
{
    /// <summary>Posts the login form. Success is a redirect to <c>/</c> with the auth cookie set on the client.</summary>
    public static Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password = TestWorld.Password) =>
        client.SubmitFormAsync("/Account/Login", "login", new() { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>Signs in and fails the test unless it worked.</summary>
    public static async Task SignInOrFailAsync(this HttpClient client, string email, string password = TestWorld.Password)
    {
        var response = await client.SignInAsync(email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.RedirectPath() == "/",
            $"Signing in as {email} answered {(int)response.StatusCode} {response.Headers.Location} {await response.Content.ReadAsStringAsync()}.");
    }

    /// <summary>GETs <paramref name="path"/>, finds the form whose Blazor handler is <paramref name="formName"/>, and posts it.</summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(this HttpClient client, string path, string formName, Dictionary<string, string> fields)
    {
        var form = FormFields(await client.GetStringAsync(path), formName);
        foreach (var (name, value) in fields)
        {
            Assert.True(form.ContainsKey(name), $"The form '{formName}' on {path} has no field {name}.");
            form[name] = value;
        }
        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>The named inputs of one form with their rendered values.</summary>
    public static Dictionary<string, string> FormFields(string html, string formName)
    {
        var form = FormPattern().Matches(html).Select(m => m.Groups["body"].Value)
            .SingleOrDefault(body => body.Contains($"name=\"_handler\" value=\"{formName}\""));
        Assert.True(form is not null, $"No form named '{formName}' on the page.");
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputPattern().Matches(form))
        {
            var name = Attribute(input.Value, "name");
            var type = Attribute(input.Value, "type");
            if (name is null || type is "checkbox" or "submit") continue;
            fields[name] = WebUtility.HtmlDecode(Attribute(input.Value, "value") ?? "");
        }
        return fields;
    }

    /// <summary>The path a redirect points to, whether the app wrote it absolute or relative.</summary>
    public static string? RedirectPath(this HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? null
        : location.IsAbsoluteUri ? location.AbsolutePath
        : new Uri(new Uri("http://localhost"), location).AbsolutePath;

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"\\s{name}=\"(?<value>[^\"]*)\"");
        return match.Success ? match.Groups["value"].Value : null;
    }

    [GeneratedRegex("<form\\b[^>]*>(?<body>.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex InputPattern();
}
