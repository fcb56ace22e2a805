import { ApiRequestError } from './api-error';

/** Words for error codes whose server message is not the best thing to show a person. */
const FRIENDLY: Record<string, string> = {
	network_error: 'Parley could not be reached. Check your connection and try again.',
	unauthenticated: 'Your session has ended. Sign in again to continue.',
	rate_limited: 'Too many attempts in a short time. Wait a minute, then try again.',
	internal: 'Something went wrong on our side. Please try again.',
	unavailable: 'Parley is briefly unavailable. Please try again in a moment.',
	payload_too_large: 'That is more than Parley accepts in one go. Shorten it and try again.',
	invalid_credentials: 'That email and password do not match an account.',
	invalid_token: 'This link is invalid or has expired. Ask for a new one.'
};

/** The sentence to show for a failed request. */
export function describeError(error: unknown, fallback = 'Something went wrong. Please try again.'): string {
	if (error instanceof ApiRequestError) return FRIENDLY[error.code.toLowerCase()] ?? error.message ?? fallback;
	return fallback;
}

export function isUnauthenticated(error: unknown): boolean {
	return error instanceof ApiRequestError && error.status === 401;
}

/** Why a page could not show the one thing it is about (a project, a record, a report). */
export type LoadFailure = { notFound: boolean; message: string };

export function describeLoadFailure(error: unknown): LoadFailure {
	return { notFound: error instanceof ApiRequestError && error.status === 404, message: describeError(error) };
}
