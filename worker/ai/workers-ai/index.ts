/** The Workers AI cascade: Deepgram speech-to-text (Flux, or Nova-3 outside English), Llama replies, Deepgram Aura speech. */
export { AURA_1_MODEL, AURA_2_ES_MODEL, FLUX_MODEL, LLM_MODEL, NOVA_MODEL } from './models';
export { createWorkersAiSession } from './session';
