/** The models of the Workers AI cascade, and the slice of the AI binding it calls them through. */
export const STT_MODEL = '@cf/deepgram/flux';
export const LLM_MODEL = '@cf/meta/llama-3.3-70b-instruct-fp8-fast';
export const TTS_MODEL = '@cf/deepgram/aura-1';

/** The slice of the AI binding the cascade uses; tests pass a fake with the same shapes. */
export type AiRunner = { run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown> };
