import type { RecordDetail } from '$contracts/records';
import { ApiRequestError } from '$lib/api-error';

/** Sends a transcript or recording as multipart form data; errors come back as ApiRequestError like every API call. */
export async function uploadRecord(projectId: string, file: File, title: string): Promise<RecordDetail> {
	const form = new FormData();
	form.append('file', file);
	if (title.trim()) form.append('title', title.trim());
	let response: Response;
	try {
		response = await fetch(`/api/projects/${encodeURIComponent(projectId)}/records`, {
			method: 'POST',
			body: form,
			credentials: 'same-origin',
			headers: { Accept: 'application/json' }
		});
	} catch {
		throw new ApiRequestError(0, 'network_error', 'Parley could not be reached. Check your connection and try again.');
	}
	const payload = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | RecordDetail | null;
	if (!response.ok) {
		const error = payload && 'error' in payload ? payload.error : undefined;
		throw new ApiRequestError(response.status, error?.code ?? 'http_error', error?.message ?? `The upload failed (${response.status}).`);
	}
	return payload as RecordDetail;
}
