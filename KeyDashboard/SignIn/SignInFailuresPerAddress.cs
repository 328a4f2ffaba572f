using KeyDashboard.Security;
using Microsoft.Extensions.Options;

namespace KeyDashboard.SignIn;

/// <summary>Failed sign-ins per client address; see <see cref="SignInSettings.FailuresPerAddress"/>.</summary>
public sealed class SignInFailuresPerAddress(IOptions<KeyDashboardOptions> options) : FailuresPerAddress(
    options.Value.SignIn.FailuresPerAddress, TimeSpan.FromMinutes(options.Value.SignIn.FailuresPerAddressMinutes));
