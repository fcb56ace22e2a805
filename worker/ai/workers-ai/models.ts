/** The models of the Workers AI cascade, and the slice of the AI binding it calls them through. */
export const FLUX_MODEL = '@cf/deepgram/flux';
export const NOVA_MODEL = '@cf/deepgram/nova-3';
export const LLM_MODEL = '@cf/meta/llama-3.3-70b-instruct-fp8-fast';
export const AURA_1_MODEL = '@cf/deepgram/aura-1';
export const AURA_2_ES_MODEL = '@cf/deepgram/aura-2-es';

/**
 * Nova-3's input when it streams over a WebSocket. Its published type is the batch call's: there
 * `audio` is required (streamed, the audio goes on the socket), `sample_rate` is missing (raw
 * linear16 needs it), and `utterance_end_ms` is typed boolean though Deepgram takes milliseconds.
 * This is that type with those three corrected, and nothing else.
 */
export type NovaStreamInput = Omit<Ai_Cf_Deepgram_Nova_3_Input, 'audio' | 'utterance_end_ms'> & {
	sample_rate: string;
	utterance_end_ms?: string;
};

/** The binding's model list with Nova-3's streaming input in place of its batch one. */
type CascadeModels = Omit<AiModels, typeof NOVA_MODEL> & {
	[NOVA_MODEL]: { inputs: NovaStreamInput; postProcessedOutputs: Ai_Cf_Deepgram_Nova_3_Output };
};

/**
 * The AI binding as the cascade uses it: its own typed `run`, so every call is checked against the
 * model's published input and output types (worker-configuration.d.ts). Tests pass a fake with the
 * same signature.
 */
export type WorkersAi = Pick<Ai<CascadeModels>, 'run'>;
