/** What the workerd suite's global setup hands to tests: where the fake OpenAI REST server listens. */
import 'vitest';

declare module 'vitest' {
	export interface ProvidedContext {
		openaiRestUrl: string;
		openaiRestKey: string;
	}
}
