// The viewer's IANA time zone (e.g. "Europe/Paris"): the audit log shows its times in it.
export function timeZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
