import { z } from 'zod';
import type { ClientMessage } from '../../contracts/protocol';
import type { ScreenerAnswers } from '../../contracts/screeners';
import type { Refusal } from '../../lib/socket';

export type Hello = Extract<ClientMessage, { type: 'hello' }>;

/** A hello that passed every check, in the form admission works with. */
export type CheckedHello = {
	email: string | null;
	resumeToken: string | null;
	rejoinCode: string | null;
	/** The page's language as a base code (`ru` for `ru-RU`), or null when the page did not say. */
	language: string | null;
	/** The screener's answers as sent (judged against the link's screener at admission), or null. */
	screener: ScreenerAnswers | null;
};

export const HELLO_REFUSALS = {
	invalidEmail: { code: 'invalid_email', message: 'Enter a valid email address.' },
	emailRequired: { code: 'email_required', message: 'Enter your email address to join this interview.' },
	consentRequired: { code: 'consent_required', message: 'Agree to the recording to join this interview.' }
} satisfies Record<string, Refusal>;

const EmailSchema = z.email().max(254);

/**
 * The one validation of a `hello`, run by the gateway before it writes anything and again by the
 * Interview Durable Object: the email (normalised, and required where the link asks for one) and
 * the respondent's consent to the recording. The protocol version is checked when the frame is parsed.
 */
export function checkHello(
	hello: Hello,
	rules: { emailRequired: boolean }
): { ok: true; hello: CheckedHello } | { ok: false; refusal: Refusal } {
	const email = hello.email?.trim().toLowerCase() || null;
	if (email !== null && !EmailSchema.safeParse(email).success) return { ok: false, refusal: HELLO_REFUSALS.invalidEmail };
	if (rules.emailRequired && email === null) return { ok: false, refusal: HELLO_REFUSALS.emailRequired };
	if (hello.consent !== true) return { ok: false, refusal: HELLO_REFUSALS.consentRequired };
	const language = hello.language?.split('-')[0]?.toLowerCase() ?? null;
	return {
		ok: true,
		hello: {
			email,
			resumeToken: hello.resumeToken ?? null,
			rejoinCode: hello.rejoinCode ?? null,
			language,
			screener: hello.screener ?? null
		}
	};
}
