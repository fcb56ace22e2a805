import { UPLOAD_LIMITS } from '../../../contracts/records';
import type { ProviderName } from '../../../ai/capabilities';

/** How recordings are cut for speech-to-text, and what each provider takes in one request. */

export type AudioFormat = (typeof UPLOAD_LIMITS.audioExtensions)[number];
export type SttProvider = Exclude<ProviderName, 'local'>;

/** Formats whose pieces are valid files of their own: PCM WAV (cut in pauses) and MP3 (cut between frames). */
const SPLITTABLE: readonly AudioFormat[] = ['wav', 'mp3'];
export const isSplittable = (format: AudioFormat) => SPLITTABLE.includes(format);

/**
 * One piece of a recording: small enough to hold a few copies of (the piece, its request body,
 * base64 for Workers AI) well inside a 128 MB Worker, far under OpenAI's 25 MB, and long enough
 * (about 90 s of the interview's 24 kHz mono) that a pause to cut in is always near.
 */
export const CHUNK_BYTES = 4 * 1024 * 1024;
/** Compressed audio packs far more time into the same bytes; speech models do best with a few minutes at a time. */
export const CHUNK_MS = 5 * 60_000;

/**
 * What a provider takes whole, for the formats we cannot cut (.m4a, .webm, .ogg): OpenAI refuses
 * requests over 25 MiB (the file and its form framing); Workers AI takes base64 in JSON, which
 * costs about six times the file in memory.
 */
const WHOLE_FILE_BYTES: Record<SttProvider, number> = { openai: 24 * 1024 * 1024, 'workers-ai': 8 * 1024 * 1024 };

export const wholeFileBytes = (provider: SttProvider) => WHOLE_FILE_BYTES[provider];

const megabytes = (bytes: number) => Math.floor(bytes / 1024 / 1024);

/** The largest recording of this format the upload accepts, and the sentence that says so. */
export function audioLimit(format: AudioFormat, provider: ProviderName): { bytes: number; message: string } {
	const general = { bytes: UPLOAD_LIMITS.audioBytes, message: `Audio files are at most ${megabytes(UPLOAD_LIMITS.audioBytes)} MB.` };
	if (provider === 'local' || isSplittable(format)) return general;
	const whole = wholeFileBytes(provider);
	return {
		bytes: whole,
		message: `.${format} recordings are transcribed whole, up to ${megabytes(whole)} MB; convert a longer one to .mp3 or .wav (up to ${megabytes(UPLOAD_LIMITS.audioBytes)} MB).`
	};
}
