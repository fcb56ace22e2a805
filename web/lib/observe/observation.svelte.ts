import type { ObserverMessage, ObserverWelcome } from '$contracts/observer';
import type { InterviewStatus, QuestionCoverage } from '$contracts/protocol';
import { Countdown } from '$lib/interview/countdown.svelte';
import { Transcript } from '$lib/interview/transcript.svelte';
import { ObserverSocket, observerSocketUrl, type ObserverConnection, type ObserverError } from './observer-socket';

export type Ending = { reason: string; recordId: string | null };
export type Refusal = ObserverError & { closeCode: number };

/**
 * One interview as a researcher watches it: what the welcome said, the transcript as it grows,
 * the server's countdown, the connection, and how it ended (or why watching was refused).
 */
export class Observation {
	connection = $state<ObserverConnection>('connecting');
	interview = $state<ObserverWelcome | null>(null);
	status = $state<InterviewStatus | null>(null);
	ending = $state<Ending | null>(null);
	refusal = $state<Refusal | null>(null);
	/** The interview was already over when watching began: there is nothing live to show, only its record. */
	overOnArrival = $state(false);
	readonly transcript = new Transcript();
	readonly countdown = new Countdown();
	/** The guide's questions and where each stands, replaced whole whenever one changes. */
	coverage = $state<QuestionCoverage[]>([]);
	readonly #socket: ObserverSocket;

	constructor(interviewId: string) {
		this.#socket = new ObserverSocket(observerSocketUrl(location, interviewId), {
			message: (message) => this.receive(message),
			status: (status) => (this.connection = status),
			closed: (closeCode, error) => {
				this.countdown.stop();
				if (!this.ending) this.refusal = { code: error?.code ?? 'unavailable', message: error?.message ?? '', closeCode };
			}
		});
	}

	start(): void {
		this.#socket.connect();
	}

	stop(): void {
		this.#socket.close();
		this.countdown.stop();
	}

	private receive(message: ObserverMessage): void {
		switch (message.type) {
			case 'observe.welcome':
				this.interview = message;
				this.status = message.status;
				this.overOnArrival = message.status === 'completed' || message.status === 'abandoned';
				this.transcript.replaceAll(message.transcript);
				this.coverage = message.coverage;
				this.countdown.sync(message.remainingMs);
				return;
			case 'coverage':
				this.coverage = message.coverage;
				return;
			case 'turn': {
				const { type: _type, ...turn } = message;
				this.transcript.upsert(turn);
				return;
			}
			case 'state':
				this.status = message.status;
				this.countdown.sync(message.remainingMs);
				return;
			case 'ended':
				this.ending = { reason: message.reason, recordId: message.recordId };
				this.countdown.stop();
				this.countdown.remainingMs = 0;
				return;
		}
	}
}
