/**
 * The bare relay (bench/workers/bare-relay.ts) with one of Parley's costs added back, for
 * `bench/relay-profile.ts`: `RELAY_SOCKET=hibernate` takes the client's socket with
 * `ctx.acceptWebSocket()` (each frame a hibernation event) instead of `accept()`, and
 * `RELAY_RECORD=250` stores what both directions carried in one SQLite write every 250 ms, as
 * Parley's recording does. Production never loads it.
 */
import { DurableObject } from 'cloudflare:workers';
import { openEchoUpstream, type EchoUpstreamEnv } from './echo-upstream';

type VariantEnv = EchoUpstreamEnv & {
	INTERVIEW: DurableObjectNamespace;
	RELAY_SOCKET: 'accept' | 'hibernate';
	RELAY_RECORD: string;
};

export class Interview extends DurableObject<VariantEnv> {
	private upstream: WebSocket | null = null;
	private client: WebSocket | null = null;
	private pending: Uint8Array[] = [];
	private timer: ReturnType<typeof setTimeout> | null = null;

	override async fetch(): Promise<Response> {
		this.ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS audio (seq INTEGER PRIMARY KEY AUTOINCREMENT, pcm BLOB NOT NULL)');
		const upstream = await openEchoUpstream(this.env);
		if (!upstream) return new Response('upstream refused', { status: 502 });
		this.upstream = upstream;
		const { 0: client, 1: server } = new WebSocketPair();
		this.client = server;
		if (this.env.RELAY_SOCKET === 'hibernate') this.ctx.acceptWebSocket(server);
		else {
			server.accept();
			server.binaryType = 'arraybuffer';
			server.addEventListener('message', (event) => this.fromClient(event.data as string | ArrayBuffer));
			server.addEventListener('close', () => upstream.close());
		}
		upstream.addEventListener('message', (event) => {
			const message = JSON.parse(event.data as string) as { type: string; delta?: string };
			if (message.type !== 'response.output_audio.delta' || !message.delta) return;
			const pcm = Uint8Array.fromBase64(message.delta);
			this.record(pcm);
			this.client?.send(pcm);
		});
		upstream.addEventListener('close', () => this.client?.close());
		return new Response(null, { status: 101, webSocket: client });
	}

	override webSocketMessage(_socket: WebSocket, data: string | ArrayBuffer): void {
		this.fromClient(data);
	}

	override webSocketClose(socket: WebSocket): void {
		socket.close();
		this.upstream?.close();
	}

	private fromClient(data: string | ArrayBuffer): void {
		if (typeof data === 'string') return;
		this.record(new Uint8Array(data));
		this.upstream?.send(`{"type":"input_audio_buffer.append","audio":"${new Uint8Array(data).toBase64()}"}`);
	}

	private record(pcm: Uint8Array): void {
		const every = Number(this.env.RELAY_RECORD);
		if (!every) return;
		this.pending.push(new Uint8Array(pcm));
		this.timer ??= setTimeout(() => this.flush(), every);
	}

	private flush(): void {
		this.timer = null;
		const chunk = new Uint8Array(this.pending.reduce((sum, part) => sum + part.byteLength, 0));
		let at = 0;
		for (const part of this.pending) {
			chunk.set(part, at);
			at += part.byteLength;
		}
		this.pending = [];
		this.ctx.storage.sql.exec('INSERT INTO audio (pcm) VALUES (?)', chunk.buffer);
	}
}

export default {
	fetch(request: Request, env: VariantEnv): Promise<Response> | Response {
		if (new URL(request.url).pathname === '/api/health') return Response.json({ ok: true });
		if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket')
			return new Response('relay variant: WebSocket only', { status: 426 });
		return env.INTERVIEW.get(env.INTERVIEW.newUniqueId()).fetch(request);
	}
} satisfies ExportedHandler<VariantEnv>;
