import type { Page } from 'playwright-core';
import { baseUrl } from '../browser';

/** A server frame as the in-page scripts read it. */
export type PageSocketMessage = { type: string; role?: string };

/** What `window.parleyInterview` gives a script running in the page: a joined socket, its text frames, and a waiter. */
export type PageInterview = {
	socket: WebSocket;
	messages: PageSocketMessage[];
	/** Resolves once `test` holds, checked after every frame; rejects after 20 s, naming what arrived. */
	waitFor(test: () => boolean): Promise<void>;
	/** Turns of `role` received so far. */
	turns(role: string): number;
};

declare global {
	interface Window {
		parleyInterview?: (url: string, email: string) => Promise<PageInterview>;
	}
}

/** The socket path of a single-use link's interview, for a script in the page. */
export const interviewSocketUrl = (token: string) => `${baseUrl().replace(/^http/, 'ws')}/ws/interview/${token}`;

/**
 * Gives the page `window.parleyInterview(url, email)`: it opens the interview's real WebSocket from
 * the browser and says hello. Call it before each `page.evaluate` that drives an interview (a
 * navigation clears it).
 */
export async function installPageInterview(page: Page): Promise<void> {
	await page.evaluate(() => {
		window.parleyInterview = async (url, email) => {
			const socket = new WebSocket(url);
			socket.binaryType = 'arraybuffer';
			const messages: PageSocketMessage[] = [];
			const waiters = new Set<() => void>();
			socket.addEventListener('message', (event) => {
				if (typeof event.data === 'string') messages.push(JSON.parse(event.data) as PageSocketMessage);
				for (const waiter of [...waiters]) waiter();
			});
			const waitFor = (test: () => boolean) =>
				new Promise<void>((resolve, reject) => {
					const timer = setTimeout(() => reject(new Error(`timed out; got ${messages.map((message) => message.type).join(',')}`)), 20_000);
					const check = () => {
						if (!test()) return;
						clearTimeout(timer);
						waiters.delete(check);
						resolve();
					};
					waiters.add(check);
					check();
				});
			await new Promise((resolve, reject) => {
				socket.addEventListener('open', resolve, { once: true });
				socket.addEventListener('error', reject, { once: true });
			});
			socket.send(JSON.stringify({ type: 'hello', protocol: 1, email, consent: true }));
			const turns = (role: string) => messages.filter((message) => message.type === 'turn' && message.role === role).length;
			return { socket, messages, waitFor, turns };
		};
	});
}
