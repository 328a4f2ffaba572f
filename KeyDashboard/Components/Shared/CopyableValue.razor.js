// Copies the text of element: through the Clipboard API where the page may use it (a secure context: HTTPS or
// localhost), else by selecting the text and asking the browser to copy the selection. Never throws: answers
// "copied", or "selected" when the text is selected for the user to copy with a key press.
export async function copy(element, text) {
    try {
        if (window.isSecureContext && navigator.clipboard) {
            await navigator.clipboard.writeText(text);
            return "copied";
        }
    } catch {
        // Refused (no permission, the page not focused): fall back to the selection.
    }
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try {
        if (document.execCommand("copy")) return "copied";
    } catch {
        // Some browsers refuse execCommand too: the selection stays for the user.
    }
    return "selected";
}
