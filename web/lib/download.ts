/** Saves a Blob as a file through a temporary object URL (allowed by the CSP: no navigation, same document). */
export function downloadBlob(blob: Blob, filename: string) {
	const url = URL.createObjectURL(blob);
	const anchor = document.createElement('a');
	anchor.href = url;
	anchor.download = filename;
	anchor.hidden = true;
	document.body.append(anchor);
	anchor.click();
	anchor.remove();
	setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function downloadText(text: string, filename: string, type = 'text/csv;charset=utf-8') {
	downloadBlob(new Blob([text], { type }), filename);
}

/** Copies text, returning false when the clipboard is unavailable. */
export async function copyText(text: string): Promise<boolean> {
	try {
		await navigator.clipboard.writeText(text);
		return true;
	} catch {
		return false;
	}
}
