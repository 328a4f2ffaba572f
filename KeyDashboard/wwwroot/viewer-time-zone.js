// Sends the viewer's IANA time zone (e.g. "Europe/Paris") with every request, so that pages rendered on the server,
// with or without a circuit, show times in it (see ViewerTimeZone.CookieName).
export function timeZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

document.cookie = `KeyDashboard.TimeZone=${encodeURIComponent(timeZone())}; path=/; max-age=31536000; samesite=lax`;
