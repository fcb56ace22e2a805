/** Upload limits, zod-free so dashboard pages can read them without the schema library in their bundles. */
export const UPLOAD_LIMITS = {
	textBytes: 2 * 1024 * 1024,
	/**
	 * Recordings stream to storage and are transcribed in pieces, so their size is bounded by
	 * Cloudflare's request body limit (100 MB on every plan), less room for the multipart framing.
	 */
	audioBytes: 90 * 1024 * 1024,
	textExtensions: ['txt', 'md', 'vtt', 'srt'],
	audioExtensions: ['wav', 'mp3', 'm4a', 'webm', 'ogg']
} as const;
