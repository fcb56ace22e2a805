import { ECHO_SESSION_UPDATE } from '../echo-session';

export type EchoUpstreamEnv = { OPENAI_REALTIME_URL: string; OPENAI_API_KEY: string };

/** Opens the fake OpenAI Realtime socket from a bench relay's Durable Object, accepted and set to echo; null if refused. */
export async function openEchoUpstream(env: EchoUpstreamEnv): Promise<WebSocket | null> {
	const url = `${env.OPENAI_REALTIME_URL.replace(/^ws/, 'http')}?model=gpt-realtime`;
	const answer = await fetch(url, { headers: { Upgrade: 'websocket', Authorization: `Bearer ${env.OPENAI_API_KEY}` } });
	const upstream = answer.webSocket;
	if (!upstream) return null;
	upstream.accept();
	upstream.send(ECHO_SESSION_UPDATE);
	return upstream;
}
