/** The Workers AI cascade: Deepgram Flux speech-to-text, Llama replies, Deepgram Aura speech. */
export { LLM_MODEL, STT_MODEL, TTS_MODEL } from './models';
export { createWorkersAiSession } from './session';
