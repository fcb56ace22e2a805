/** The models of the Workers AI cascade, and the slice of the AI binding it calls them through. */
export const STT_MODEL = '@cf/deepgram/flux';
export const LLM_MODEL = '@cf/meta/llama-3.3-70b-instruct-fp8-fast';
export const TTS_MODEL = '@cf/deepgram/aura-1';

/**
 * The AI binding as the cascade uses it: its own typed `run`, so every call is checked against the
 * model's published input and output types (worker-configuration.d.ts). Tests pass a fake with the
 * same signature.
 */
export type WorkersAi = Pick<Ai, 'run'>;
