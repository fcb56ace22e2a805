/**
 * What the respondent page remembers per link token. Storage can throw (private modes,
 * disabled cookies); the page then simply forgets, so every access is guarded.
 */

export type InputMode = 'voice' | 'text';
/** Present while an interview runs in this tab, so a reload rejoins without the onboarding, as it was left. */
export type ActiveSession = { inputMode: InputMode; muted: boolean };

const key = (token: string, name: string) => `parley.interview.${token}.${name}`;

function read(storage: () => Storage, name: string): string | null {
	try {
		return storage().getItem(name);
	} catch {
		return null;
	}
}

function write(storage: () => Storage, name: string, value: string | null): void {
	try {
		if (value === null) storage().removeItem(name);
		else storage().setItem(name, value);
	} catch {
		// Nothing to do: the page works without remembering.
	}
}

const session = () => sessionStorage;
const local = () => localStorage;

export const rememberedEmail = (token: string) => read(session, key(token, 'email')) ?? '';
export const rememberEmail = (token: string, email: string) => write(session, key(token, 'email'), email);

/** Anonymous links: the server's resume token, kept across tabs and visits. */
export const resumeTokenFor = (token: string) => read(local, key(token, 'resume'));
export const rememberResumeToken = (token: string, resumeToken: string) => write(local, key(token, 'resume'), resumeToken);

export function activeSessionFor(token: string): ActiveSession | null {
	try {
		const stored: unknown = JSON.parse(read(session, key(token, 'active')) ?? 'null');
		if (typeof stored !== 'object' || stored === null) return null;
		const { inputMode, muted } = stored as Partial<ActiveSession>;
		return inputMode === 'voice' || inputMode === 'text' ? { inputMode, muted: muted === true } : null;
	} catch {
		return null;
	}
}

export const rememberActiveSession = (token: string, active: ActiveSession | null) =>
	write(session, key(token, 'active'), active ? JSON.stringify(active) : null);
