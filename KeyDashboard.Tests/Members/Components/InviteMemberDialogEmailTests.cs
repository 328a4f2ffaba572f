using Bunit;
using KeyDashboard.Email;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace KeyDashboard.Tests.Members.Components;

/// <summary>
/// The invitation dialog on a server that sends e-mail: it says the link was e-mailed, and the queued message carries
/// the very link shown. (Without mail it says to send the link yourself: see <see cref="MembersPageTests"/>.)
/// </summary>
public sealed class InviteMemberDialogEmailTests : ComponentTestContext
{
    private readonly MailQueue _mail = new(MailDelivery.Smtp, NullLogger<MailQueue>.Instance);

    public InviteMemberDialogEmailTests()
    {
        var links = new PublicLinks(Options.Create(new KeyDashboardOptions()));
        Services.AddSingleton(links);
        Services.AddSingleton(_ => new MembershipService(Database.DbFactory, Database.Clock, Database.Changes, _mail, links));
    }

    [Fact]
    public void The_dialog_says_the_invitation_was_emailed_and_the_email_carries_the_link_it_shows()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var page = Render<MembersPage>();
        page.WaitForElement("button[aria-label='Leave workspace']");
        var dialogs = Render<MudDialogProvider>();

        page.Button("Invite member").Click();
        dialogs.WaitForElement("form#invite-member-form");
        dialogs.Field("E-mail").Input("new.person@acme.test");
        dialogs.Find("form#invite-member-form").Submit();

        var link = dialogs.WaitForElement("code.copyable-value").TextContent;
        Assert.Contains("The invitation was e-mailed to new.person@acme.test.", dialogs.Markup);
        Assert.DoesNotContain("Send it to new.person@acme.test yourself.", dialogs.Markup);
        Assert.True(_mail.Reader.TryRead(out var sent));
        Assert.Equal("new.person@acme.test", sent.To);
        Assert.Contains(link, sent.Content.Text);
        Assert.False(_mail.Reader.TryRead(out _));
    }
}
