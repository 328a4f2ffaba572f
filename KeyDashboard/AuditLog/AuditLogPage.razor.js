// Downloads url (the export, answered as an attachment) without leaving the page.
export function download(url) {
    const link = document.createElement("a");
    link.href = url;
    link.download = "";
    document.body.appendChild(link);
    link.click();
    link.remove();
}
