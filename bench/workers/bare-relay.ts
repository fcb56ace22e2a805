/**
 * The bare relay `bench/relay.ts` measures Parley against: one Durable Object per connection that
 * turns each binary frame into an `input_audio_buffer.append` with base64 and each
 * `response.output_audio.delta` back into a binary frame, with nothing else (no join, no clock, no
 * recording, no hibernation), through the runtime's native base64 as Parley's relay does
 * (worker/ai/pcm.ts). `wrangler dev` runs this file in place of `worker/index.ts`, so it runs in the
 * same workerd as Parley would, with the same `INTERVIEW` binding (hence the class name).
 * Production never loads it.
 */
import { DurableObject } from 'cloudflare:workers';
import { openEchoUpstream, type EchoUpstreamEnv } from './echo-upstream';

type BenchEnv = EchoUpstreamEnv & { INTERVIEW: DurableObjectNamespace };

export class Interview extends DurableObject<BenchEnv> {
	override async fetch(): Promise<Response> {
		const upstream = await openEchoUpstream(this.env);
		if (!upstream) return new Response('upstream refused', { status: 502 });
		const { 0: client, 1: server } = new WebSocketPair();
		server.accept();
		server.binaryType = 'arraybuffer';
		server.addEventListener('message', (event) => {
			if (typeof event.data === 'string') return;
			upstream.send(`{"type":"input_audio_buffer.append","audio":"${new Uint8Array(event.data as ArrayBuffer).toBase64()}"}`);
		});
		upstream.addEventListener('message', (event) => {
			const message = JSON.parse(event.data as string) as { type: string; delta?: string };
			if (message.type === 'response.output_audio.delta' && message.delta) server.send(Uint8Array.fromBase64(message.delta));
		});
		server.addEventListener('close', () => upstream.close());
		upstream.addEventListener('close', () => server.close());
		return new Response(null, { status: 101, webSocket: client });
	}
}

export default {
	fetch(request: Request, env: BenchEnv): Promise<Response> | Response {
		// The bench's app runner waits for a health answer before it streams.
		if (new URL(request.url).pathname === '/api/health') return Response.json({ ok: true });
		if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket') return new Response('bare relay: WebSocket only', { status: 426 });
		return env.INTERVIEW.get(env.INTERVIEW.newUniqueId()).fetch(request);
	}
} satisfies ExportedHandler<BenchEnv>;
