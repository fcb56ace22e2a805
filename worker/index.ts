import sveltekit from '../.svelte-kit/cloudflare/_worker.js';
import { createApi } from './api/app';
import { EMBED_PREFIX, servedEmbedPage } from './api/embed-page';
import { handleInterviewSocket } from './api/interview-socket';
import { handleObserverSocket, OBSERVE_PREFIX } from './api/observer-socket';
import { isRespondentPage, servedRespondentPage } from './api/respondent-page';
import { handleJobBatch } from './jobs/consumer';
import { runSweeps } from './jobs/sweeps';
import { servedWithLog } from './lib/request-log';

export { Interview } from '../durable-objects';

const api = createApi();

export default {
	fetch(request, env, ctx) {
		const { pathname } = new URL(request.url);
		return servedWithLog(request, async () => {
			if (pathname === '/api' || pathname.startsWith('/api/')) return api.fetch(request, env, ctx);
			if (pathname.startsWith('/ws/interview/')) return handleInterviewSocket(request, env);
			if (pathname.startsWith(OBSERVE_PREFIX)) return handleObserverSocket(request, env, ctx);
			const page = () => (isRespondentPage(pathname) ? servedRespondentPage(request) : sveltekit.fetch(request, env, ctx));
			if (pathname.startsWith(EMBED_PREFIX)) return servedEmbedPage(request, env, page);
			if (isRespondentPage(pathname)) return servedRespondentPage(request);
			return sveltekit.fetch(request, env, ctx);
		});
	},
	queue: handleJobBatch,
	scheduled: runSweeps
} satisfies ExportedHandler<Env, unknown>;
