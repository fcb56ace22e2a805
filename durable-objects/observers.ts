import type { ObserverMessage, ObserverWelcome } from '../worker/contracts/observer';
import type { QuestionCoverage, Turn } from '../worker/contracts/protocol';
import { OBSERVER_PROTOCOL_VERSION } from '../worker/contracts/protocol-constants';
import { createDatabase } from '../worker/db/client';
import { logError } from '../worker/lib/log';
import { closeEnded, refuse, type Refusal, type SocketError } from '../worker/lib/socket';
import { findInterviewRecordId, type ObservedInterview } from '../worker/services/interviews';
import { redactLine } from '../worker/services/privacy';
import { toWireTurn } from './conversation';
import { privacyOf, type InterviewStore, type SessionState } from './interview-store';

/** What observers see of a turn: its text redacted as the project asks, the respondent's address always (invariant 21). */
const observedTurn = (turn: Turn, session: SessionState): Turn => ({
	...turn,
	text: redactLine(turn.text, privacyOf(session), session.email)
});

/** The hibernation tag of observer sockets: the object finds them with `getWebSockets(OBSERVER_TAG)`, never by scanning. */
export const OBSERVER_TAG = 'observer';
/** Carries the Observation from the gateway, which has checked the observer's workspace against D1. */
export const OBSERVATION_HEADER = 'X-Parley-Observation';

/** What the gateway read from D1 about the interview an observer may watch. */
export type Observation = Omit<ObservedInterview, 'objectName'>;
/** What observers are sent while the interview runs: the respondent's own turn and state frames. */
export type Forwarded = Extract<ObserverMessage, { type: 'turn' | 'state' | 'coverage' }>;

/** An observer page sends nothing; a client that keeps sending is broken or hostile. */
const READ_ONLY_ANSWERS = 10;
const READ_ONLY: SocketError = { code: 'observer_read_only', message: 'Observers watch only; this message was ignored.' };
const FLOOD: Refusal = { code: 'too_many_frames', message: 'Too many messages from an observer.' };

const wireStatus = (status: SessionState['status']) => (status === 'finalizing' ? 'completed' : status);
const isOver = (status: SessionState['status']) => status === 'completed' || status === 'abandoned';

function send(socket: WebSocket, frame: string): void {
	try {
		socket.send(frame);
	} catch {
		// a socket that closed meanwhile; its close handler cleans up
	}
}

/**
 * The researchers watching an interview. They get a welcome with the transcript so far, then the
 * respondent's turns, states and the guide's coverage, then `ended` with the record. They are invisible to the
 * respondent's side: they never join, and nothing the respondent's audio does reaches this class.
 */
export class Observers {
	/** Frames each observer has sent this wake-up; hibernation forgets them, which only makes the limit looser. */
	private readonly received = new WeakMap<WebSocket, number>();

	constructor(
		private readonly ctx: DurableObjectState,
		private readonly env: Env,
		private readonly store: InterviewStore,
		/** The guide's coverage now, for the welcome. */
		private readonly coverage: () => QuestionCoverage[]
	) {}

	/** Accepts an observer's socket, welcomes it, and closes it at once after `ended` if the interview is over. */
	async accept(observation: Observation): Promise<Response> {
		const { 0: client, 1: server } = new WebSocketPair();
		this.ctx.acceptWebSocket(server, [OBSERVER_TAG]);
		const stored = this.store.session;
		// This object holds one interview; a session of another id would be a bug, and D1 is the authority then.
		const session = stored?.interviewId === observation.interviewId ? stored : null;
		send(server, JSON.stringify(this.welcome(observation, session)));
		const over = session ? isOver(session.status) : observation.status !== 'active';
		if (over) {
			const reason = session?.endReason ?? observation.endReason ?? 'completed';
			send(server, JSON.stringify(await this.ended(observation.interviewId, reason)));
			closeEnded(server);
		}
		return new Response(null, { status: 101, webSocket: client });
	}

	private welcome(observation: Observation, session: SessionState | null): ObserverWelcome {
		const running = session ? session.status === 'active' : observation.status === 'active';
		const deadlineAt = session?.deadlineAt ?? observation.deadlineAt;
		return {
			type: 'observe.welcome',
			protocol: OBSERVER_PROTOCOL_VERSION,
			interview: observation.interviewId,
			projectId: observation.projectId,
			status: session ? wireStatus(session.status) : observation.status,
			remainingMs: running ? Math.max(0, deadlineAt - Date.now()) : 0,
			transcript: session ? this.store.turns().map((turn) => observedTurn(toWireTurn(turn), session)) : [],
			coverage: session ? this.coverage() : [],
			respondent: observation.respondent,
			linkName: observation.linkName,
			linkKind: observation.linkKind,
			startedAt: session?.startedAt ?? observation.startedAt
		};
	}

	/** Sends a turn or state to every observer, serialised once. With nobody watching it costs one lookup by tag. */
	forward(message: Forwarded | (() => Forwarded)): void {
		const observers = this.ctx.getWebSockets(OBSERVER_TAG);
		if (observers.length === 0) return;
		const frame = JSON.stringify(typeof message === 'function' ? message() : message);
		for (const socket of observers) send(socket, frame);
	}

	/** A turn as observers see it (redacted), worked out only when somebody is watching. */
	forwardTurn(turn: Turn, session: SessionState): void {
		this.forward(() => ({ type: 'turn', ...observedTurn(turn, session) }));
	}

	/** Any frame from an observer: answered, never acted on; past a handful the socket is closed. */
	ignoreFrame(socket: WebSocket): void {
		const count = (this.received.get(socket) ?? 0) + 1;
		this.received.set(socket, count);
		if (count > READ_ONLY_ANSWERS) return refuse(socket, FLOOD);
		send(socket, JSON.stringify({ type: 'error', ...READ_ONLY } satisfies ObserverMessage));
	}

	/**
	 * The interview has ended (completion has written its record): every observer gets `ended` with
	 * the record's id, then the close. Never throws, as it runs at the very end of completion.
	 */
	async end(interviewId: string, reason: string): Promise<void> {
		const observers = this.ctx.getWebSockets(OBSERVER_TAG);
		if (observers.length === 0) return;
		const frame = JSON.stringify(await this.ended(interviewId, reason));
		for (const socket of observers) {
			send(socket, frame);
			closeEnded(socket);
		}
	}

	private async ended(interviewId: string, reason: string): Promise<ObserverMessage> {
		let recordId: string | null = null;
		try {
			recordId = await findInterviewRecordId(createDatabase(this.env.DB), interviewId);
		} catch (error) {
			// The record link is a convenience: the interview has ended whether or not it can be found now.
			logError('observer.record_lookup_failed', error, { interviewId });
		}
		return { type: 'ended', reason, recordId };
	}
}
