/** What the workerd suite's global setup hands to tests: where the fake OpenAI Realtime server listens. */
import 'vitest';

declare module 'vitest' {
	export interface ProvidedContext {
		openaiRealtimeUrl: string;
		openaiApiKey: string;
	}
}
