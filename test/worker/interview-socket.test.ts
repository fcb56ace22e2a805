import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, MAX_AUDIO_FRAME_BYTES, MAX_TEXT_FRAME_BYTES } from '../../worker/contracts/protocol';
import { randomToken } from '../../worker/lib/crypto';
import { call } from './helpers/api';
import { openSocket } from './helpers/socket';

describe('GET /ws/interview/:token', () => {
	it('asks for a WebSocket upgrade with a JSON 426', async () => {
		const response = await call(`/ws/interview/${randomToken()}`);
		expect(response.status).toBe(426);
		expect(await response.json()).toMatchObject({ error: { code: 'upgrade_required' } });
	});

	it('refuses an unknown token after the upgrade, with an error frame and close code 4401', async () => {
		for (const token of [randomToken(), 'short', '%00%ff', 'x'.repeat(300)]) {
			const opened = await openSocket(`/ws/interview/${token}`);
			expect(await opened.next()).toMatchObject({ type: 'error', code: 'unknown_link' });
			expect((await opened.closed).code).toBe(CLOSE_CODES.unknownLink);
		}
	});
});

describe('Interview Durable Object frames', () => {
	const stub = () => env.INTERVIEW.get(env.INTERVIEW.idFromName(`frames-${crypto.randomUUID()}`));

	it('answers each malformed frame with an error frame and keeps the socket open', async () => {
		const opened = await openSocket('/ws/interview/x', stub());
		const cases: [string | ArrayBuffer, string][] = [
			[new ArrayBuffer(MAX_AUDIO_FRAME_BYTES + 2), 'frame_too_large'],
			[new ArrayBuffer(101), 'bad_audio'],
			['x'.repeat(MAX_TEXT_FRAME_BYTES + 1), 'frame_too_large'],
			['{not json', 'invalid_json'],
			[JSON.stringify({ type: 'dance' }), 'unknown_type'],
			[JSON.stringify({ type: 'text', content: '' }), 'invalid_message'],
			[JSON.stringify({ type: 'hello', protocol: 2, email: 'a@example.com' }), 'unsupported_protocol']
		];
		for (const [frame, code] of cases) {
			opened.socket.send(frame);
			expect(await opened.next('error')).toMatchObject({ type: 'error', code });
		}
		opened.socket.send(JSON.stringify({ type: 'ping' }));
		expect(await opened.next('error')).toMatchObject({ code: 'hello_required' });
		opened.socket.send(new ArrayBuffer(1920));
		expect(await opened.next('error')).toMatchObject({ code: 'hello_required' });
		opened.socket.close(1000, 'done');
	});
});
