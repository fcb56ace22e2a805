import type { ProviderName } from './capabilities';
import { createLocalSession } from './local';
import type { ProviderContext, ProviderSession } from './provider';

/** The provider session for an interview, by the provider recorded when it started. */
export function createProviderSession(name: ProviderName, _env: Env, context: ProviderContext): ProviderSession {
	switch (name) {
		case 'local':
			return createLocalSession(context);
		default:
			throw new Error(`The ${name} provider is not available in this build`);
	}
}
