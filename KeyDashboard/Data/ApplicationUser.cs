using Microsoft.AspNetCore.Identity;

namespace KeyDashboard.Data;

public class ApplicationUser : IdentityUser
{
    /// <summary>The workspace the user last switched to; their role claim comes from their membership there.</summary>
    public Guid? CurrentWorkspaceId { get; set; }
}
