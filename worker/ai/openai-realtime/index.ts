/** OpenAI Realtime (GA protocol) over one outbound WebSocket from the Interview DO. */
export { createOpenAiSession } from './session';
