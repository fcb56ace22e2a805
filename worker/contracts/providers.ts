import { z } from 'zod';

export const ProviderName = z.enum(['local', 'openai', 'workers-ai']);

/**
 * What the workspace's interviewer can do: the voices, languages and longest interview it offers.
 * `voices` and `defaultVoice` are those of its default language; each language lists the voices it is
 * spoken with (null: any of the browser's). `unavailableLanguages` says why a language is not offered.
 */
export const ProviderCapabilities = z.object({
	provider: ProviderName,
	label: z.string(),
	voices: z.array(z.string()).nullable(),
	defaultVoice: z.string(),
	languages: z.array(z.object({ code: z.string(), name: z.string(), voices: z.array(z.string()).nullable(), defaultVoice: z.string() })),
	unavailableLanguages: z.array(z.object({ code: z.string(), name: z.string(), reason: z.string() })),
	maxDurationMinutes: z.number().int(),
	speaksAudio: z.boolean()
});
export type ProviderCapabilities = z.infer<typeof ProviderCapabilities>;

/** The workspace's provider choice: the one in use, the saved preference (null = the server default) and the choices. */
export const AiSettings = z.object({
	provider: ProviderName,
	preference: ProviderName.nullable(),
	available: z.array(z.object({ name: ProviderName, label: z.string() }))
});
export type AiSettings = z.infer<typeof AiSettings>;
export const UpdateAiSettings = z.object({ provider: ProviderName.nullable() });
