/** What the workerd suite's global setup hands to tests: where the loopback webhook receiver listens. */
import 'vitest';

declare module 'vitest' {
	export interface ProvidedContext {
		webhookReceiverUrl: string;
	}
}
