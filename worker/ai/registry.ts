import type { ProviderName } from './capabilities';
import { createLocalSession } from './local';
import { createOpenAiSession } from './openai-realtime';
import type { ProviderContext, ProviderSession } from './provider';
import { createWorkersAiSession } from './workers-ai';

/** The provider session for an interview, by the provider recorded when it started. */
export function createProviderSession(name: ProviderName, env: Env, context: ProviderContext): ProviderSession {
	switch (name) {
		case 'local':
			return createLocalSession(context);
		case 'openai':
			if (!env.OPENAI_API_KEY) throw new Error('The OpenAI provider needs OPENAI_API_KEY');
			return createOpenAiSession(context, {
				apiKey: env.OPENAI_API_KEY,
				url: env.OPENAI_REALTIME_URL || 'https://api.openai.com/v1/realtime',
				model: env.OPENAI_REALTIME_MODEL || 'gpt-realtime'
			});
		case 'workers-ai':
			return createWorkersAiSession(context, { ai: env.AI });
		default:
			throw new Error(`The ${name as string} provider is not available in this build`);
	}
}
