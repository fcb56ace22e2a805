import type { ProviderName } from '../../ai/capabilities';
import type { StoredTranscript } from '../../contracts/records';
import { findNames, replaceNames, type NamesEnv } from './names';
import { redactPatterns } from './patterns';
import { redactRespondentEmail } from './respondent-email';
import { openOriginal, sealOriginal, type SecretEnv } from './sealing';

/** A project's choice: redact personal data (the default), and whether owners and admins keep the original beside it. */
export type PrivacySettings = { redact: boolean; keepOriginal: boolean };
/** What ran over a transcript: the respondent's own address always, the patterns and names when the project redacts. */
export type RedactionPass = 'respondent_email' | 'patterns' | 'names';
/** What a record says of its redaction: the passes, and where the sealed original is (null when none was kept). */
export type Redaction = { passes: RedactionPass[]; originalKey: string | null };

/** Projects that predate the setting, and interviews that started before it existed, redact: the privacy-minded default. */
export const DEFAULT_PRIVACY: PrivacySettings = { redact: true, keepOriginal: false };

/** One line as observers and storage see it: the respondent's address out always, the patterns when the project redacts. */
export function redactLine(text: string, settings: PrivacySettings, email: string | null): string {
	const withoutEmail = redactRespondentEmail(text, email).text;
	return settings.redact ? redactPatterns(withoutEmail).text : withoutEmail;
}

type Turnlike = { text: string };

/** Every turn through the passes the settings ask for; the name pass asks the provider's model once for the whole transcript. */
export async function redactTurns<T extends Turnlike>(
	env: NamesEnv,
	input: { turns: T[]; settings: PrivacySettings; email: string | null; provider: ProviderName }
): Promise<{ turns: T[]; passes: RedactionPass[] }> {
	const passes: RedactionPass[] = input.email ? ['respondent_email'] : [];
	let turns = input.turns.map((turn) => ({ ...turn, text: redactLine(turn.text, input.settings, input.email) }));
	if (!input.settings.redact) return { turns, passes };
	passes.push('patterns');
	const names = await findNames(
		env,
		input.provider,
		turns.map((turn) => turn.text)
	);
	if (names) {
		passes.push('names');
		turns = turns.map((turn) => ({ ...turn, text: replaceNames(turn.text, names) }));
	}
	return { turns, passes };
}

/** What storing a transcript reads: the name pass's models, R2 and the secret the workspace keys come from. */
export type PrivacyEnv = NamesEnv & SecretEnv & Pick<Env, 'FILES'>;

/**
 * A transcript stored before redaction existed (its record has no `redaction`), as reports and
 * exports must see it in a project that redacts: the respondent's address and the patterns taken
 * out as it is read. One that went through `protectTranscript` is returned as stored.
 */
export function redactUnprotected(
	transcript: StoredTranscript,
	record: { redaction: unknown; respondentEmail: string | null },
	settings: PrivacySettings
): StoredTranscript {
	if (record.redaction || !settings.redact) return transcript;
	const email = transcript.respondentEmail ?? record.respondentEmail;
	const turns = transcript.turns.map((turn) => ({ ...turn, text: redactLine(turn.text, settings, email) }));
	return { ...transcript, respondentEmail: null, turns };
}

export const originalKeyOf = (transcriptKey: string) => `${transcriptKey}.original`;

/**
 * The transcript as it may be stored: redacted, with the original sealed beside it in R2 when the
 * project keeps originals and redaction changed anything. The caller writes the redacted one.
 */
export async function protectTranscript(
	env: PrivacyEnv,
	input: {
		workspaceId: string;
		transcriptKey: string;
		transcript: StoredTranscript;
		settings: PrivacySettings;
		provider: ProviderName;
	}
): Promise<{ transcript: StoredTranscript; redaction: Redaction }> {
	const { turns, passes } = await redactTurns(env, {
		turns: input.transcript.turns,
		settings: input.settings,
		email: input.transcript.respondentEmail ?? null,
		provider: input.provider
	});
	const changed = turns.some((turn, index) => turn.text !== input.transcript.turns[index]!.text);
	let originalKey: string | null = null;
	if (input.settings.keepOriginal && changed) {
		originalKey = originalKeyOf(input.transcriptKey);
		const sealed = await sealOriginal(env, input.workspaceId, JSON.stringify(input.transcript));
		await env.FILES.put(originalKey, sealed, { httpMetadata: { contentType: 'application/octet-stream' } });
	}
	// The record row keeps the respondent's address as its identity; the stored document needs it only when nothing is redacted.
	const respondentEmail = input.settings.redact ? null : input.transcript.respondentEmail;
	return { transcript: { ...input.transcript, respondentEmail, turns }, redaction: { passes, originalKey } };
}

/** The kept original, opened with the workspace's key; null when it is missing or not this workspace's. */
export async function readOriginal(env: SecretEnv, files: R2Bucket, workspaceId: string, originalKey: string): Promise<unknown> {
	const object = await files.get(originalKey);
	if (!object) return null;
	const plain = await openOriginal(env, workspaceId, new Uint8Array(await object.arrayBuffer()));
	return plain === null ? null : (JSON.parse(plain) as unknown);
}
