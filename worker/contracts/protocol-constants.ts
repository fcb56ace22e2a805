// No zod here: the respondent page imports these at runtime and stays small.
/** Browser ↔ Interview Durable Object wire protocol. Binary frames are PCM16LE mono 24 kHz. */
export const PROTOCOL_VERSION = 1;
/** The observer socket's own protocol (`/ws/observe/:interviewId`), versioned apart from the respondent's. */
export const OBSERVER_PROTOCOL_VERSION = 1;
export const SAMPLE_RATE = 24_000;
/** Two bytes a sample, one channel: how many bytes a millisecond of audio takes (48). */
export const BYTES_PER_MS = (SAMPLE_RATE * 2) / 1000;
/** 40 ms of audio (1,920 bytes): the frame synthesized speech is cut into for the browser, so playback starts at once. */
export const FRAME_BYTES = 40 * BYTES_PER_MS;
/** 100 ms of audio: the largest audio frame a client may send. */
export const MAX_AUDIO_FRAME_BYTES = 100 * BYTES_PER_MS;
export const MAX_TEXT_FRAME_BYTES = 8 * 1024;
export const MAX_TEXT_ANSWER_CHARS = 4_000;
/** Audio may run ahead of the wall clock by at most this much (jitter, a reconnect's backlog). */
export const AUDIO_BURST_MS = 2_000;

export const CLOSE_CODES = {
	unknownLink: 4401,
	insufficientTokens: 4402,
	inUse: 4403,
	replaced: 4404,
	badFrame: 4400,
	noUsesLeft: 4409,
	expired: 4410,
	offline: 4423,
	/** The screener's answers do not fit the study, or their segment's quota is full. */
	screenedOut: 4412,
	quotaFull: 4413,
	tooManyFrames: 4429,
	/** The server could not open the interview (a transient failure: try again). */
	unavailable: 1011,
	ended: 4000,
	/**
	 * Observer refusals: 4600 plus the HTTP status they mirror, so they never share a code with a
	 * respondent's refusal (4401 and 4404 already mean an unknown link and "continued elsewhere").
	 */
	observerUnauthenticated: 4601,
	interviewNotFound: 4604
} as const;
