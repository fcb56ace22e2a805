import { logError, logInfo } from './log';
import { newRequestId, withRequestId } from './request-context';

/**
 * Serves one request under its own request id and writes one `request` line when it is answered:
 * method, path (link tokens masked by the log), status and time taken. A handler that throws is
 * logged here too, with the same id, before the error goes on to the runtime.
 */
export function servedWithLog(request: Request, serve: () => Promise<Response>): Promise<Response> {
	return withRequestId(newRequestId(request), async () => {
		const started = Date.now();
		const fields = { method: request.method, path: new URL(request.url).pathname };
		try {
			const response = await serve();
			logInfo('request', { ...fields, status: response.status, ms: Date.now() - started });
			return response;
		} catch (error) {
			logError('request.failed', error, { ...fields, ms: Date.now() - started });
			throw error;
		}
	});
}
