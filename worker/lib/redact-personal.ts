/**
 * Removes what identifies a person or opens a door from text bound for a log: email addresses
 * (the domain is kept, which is enough to tell a typo from an outage), and the tokens in link,
 * invitation and password-reset URLs. Log readers are not necessarily workspace members.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
/** Paths whose next segment is a bearer token: whoever holds the URL holds the link, invitation or reset. */
const TOKEN_PATH = /(\/(?:ws\/)?interview\/|\/api\/public\/links\/|\/invite\/|\/reset-password\/)[^/?#\s"']+/gi;
const TOKEN_QUERY = /([?&](?:token|code)=)[^&#\s"']+/gi;
/** Field names whose string value is itself a secret or an address. */
const SECRET_FIELD = /^(?:token|\w+Token|email|\w+Email|password)$/;

export const MASKED = '[masked]';

export function redactPersonal(text: string): string {
	return text.replace(EMAIL, `${MASKED}@$1`).replace(TOKEN_PATH, `$1${MASKED}`).replace(TOKEN_QUERY, `$1${MASKED}`);
}

/** Whether a field of this name must never be logged as it is. */
export function isSecretField(name: string): boolean {
	return SECRET_FIELD.test(name);
}
