import type * as Protocol from '$contracts/protocol';

/*
  The protocol constants the respondent page needs at runtime. Importing them from the contract
  module would pull zod into this page (≈25 kB more on a phone, and zod's eval probe trips the CSP),
  so they are restated here and the type checker holds each one to the contract's exact value.
*/

export const PROTOCOL_VERSION: typeof Protocol.PROTOCOL_VERSION = 1;
export const SAMPLE_RATE: typeof Protocol.SAMPLE_RATE = 24_000;
export const MAX_TEXT_ANSWER_CHARS: typeof Protocol.MAX_TEXT_ANSWER_CHARS = 4_000;
export const CLOSE_CODES = {
	unknownLink: 4401,
	insufficientTokens: 4402,
	inUse: 4403,
	replaced: 4404,
	badFrame: 4400,
	noUsesLeft: 4409,
	expired: 4410,
	offline: 4423,
	tooManyFrames: 4429,
	ended: 4000
} as const satisfies typeof Protocol.CLOSE_CODES;

