/** Upload limits, zod-free so dashboard pages can read them without the schema library in their bundles. */
export const UPLOAD_LIMITS = {
	textBytes: 2 * 1024 * 1024,
	audioBytes: 50 * 1024 * 1024,
	textExtensions: ['txt', 'md', 'vtt', 'srt'],
	audioExtensions: ['wav', 'mp3', 'm4a', 'webm', 'ogg']
} as const;
