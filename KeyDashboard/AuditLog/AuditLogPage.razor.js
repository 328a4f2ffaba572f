// The viewer's IANA time zone (e.g. "Europe/Paris"): the audit log shows its times in it.
export function timeZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

// Downloads url (the export, answered as an attachment) without leaving the page.
export function download(url) {
    const link = document.createElement("a");
    link.href = url;
    link.download = "";
    document.body.appendChild(link);
    link.click();
    link.remove();
}
