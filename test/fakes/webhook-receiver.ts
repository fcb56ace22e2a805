/**
 * A webhook receiver on loopback, for the workerd suite. It verifies every delivery with the
 * verifier printed in README.md (read from the README itself, so the documented code is the code
 * under test), records it, and answers with the statuses a test scripted (200 once they run out).
 * Control over HTTP: POST /__script/<hook> { secret, statuses[], redirect?, hang? }, GET /__received/<hook>.
 * `hang` never answers, as a receiver that timed out.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type ReceivedDelivery = { eventId: string; signature: string; body: string; verified: boolean; tamperedVerified: boolean };
type Script = { secret: string; statuses: number[]; redirect?: string; hang?: boolean };
type Verifier = (rawBody: string, header: string, secret: string) => boolean;

const README = new URL('../../README.md', import.meta.url);

/** The verifier block of the README, between its two markers, imported as a module. */
async function readmeVerifier(): Promise<Verifier> {
	const readme = readFileSync(README, 'utf8');
	const block = /<!-- webhook-verifier -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
	if (!block) throw new Error('README.md has no webhook verifier block');
	const file = join(mkdtempSync(join(tmpdir(), 'parley-verifier-')), 'verify.mjs');
	writeFileSync(file, block);
	const module = (await import(pathToFileURL(file).href)) as { verifyParleySignature?: Verifier };
	if (typeof module.verifyParleySignature !== 'function') throw new Error('the README verifier does not export verifyParleySignature');
	return module.verifyParleySignature;
}

const readBody = async (req: IncomingMessage) => {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
};

export async function startWebhookReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
	const verify = await readmeVerifier();
	const scripts = new Map<string, Script>();
	const received = new Map<string, ReceivedDelivery[]>();
	const server = createServer(async (req, res) => {
		const [, kind = '', hook = ''] = (req.url ?? '').split('/');
		const body = await readBody(req);
		const answer = (status: number, payload: unknown = {}, headers: Record<string, string> = {}) => {
			res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
			res.end(JSON.stringify(payload));
		};
		if (kind === '__script' && req.method === 'POST') {
			scripts.set(hook, JSON.parse(body) as Script);
			return answer(200);
		}
		if (kind === '__received' && req.method === 'GET') return answer(200, received.get(hook) ?? []);
		if (kind !== 'hooks' || req.method !== 'POST') return answer(404);
		const script = scripts.get(hook) ?? { secret: '', statuses: [] };
		const signature = String(req.headers['parley-signature'] ?? '');
		const list = received.get(hook) ?? [];
		list.push({
			eventId: String(req.headers['parley-event-id'] ?? ''),
			signature,
			body,
			verified: verify(body, signature, script.secret),
			tamperedVerified: verify(`${body} `, signature, script.secret)
		});
		received.set(hook, list);
		if (script.hang) return;
		if (script.redirect) return answer(302, {}, { Location: script.redirect });
		return answer(script.statuses.shift() ?? 200, { ok: true });
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			})
	};
}
