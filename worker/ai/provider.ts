import type { InterviewGuide } from '../contracts/guide';
import type { Patience } from '../contracts/links';
import type { Turn } from '../contracts/protocol';
import type { ProviderName } from './capabilities';

/** Everything a provider needs to interview: built when the interview starts, from the current context. */
export type InterviewBrief = {
	researchGoals: string;
	guide: InterviewGuide;
	linkContext: string;
	interviewerInstructions: string;
	language: string;
	voice: string;
	durationMinutes: number;
	topics: string[];
	/** How long to wait for the end of an answer before replying (absent on interviews started before the setting: patient). */
	patience?: Patience;
	/** The respondent's page language (base code, from hello): what Auto means where a language must be chosen up front. */
	respondentLanguage?: string;
};

/** A turn as a provider produces it; the session gives it an id and a time and stores it. */
export type ProviderTurn = {
	key: string;
	role: Turn['role'];
	text: string;
	final: boolean;
	transcribed?: boolean;
	startMs?: number;
	endMs?: number;
};

/**
 * What went wrong with a provider, as the respondent may hear of it: a stable code with a fixed
 * sentence. What the upstream said goes to the log only (see `ProviderEvents.error`).
 */
export const PROVIDER_ERRORS = {
	provider_error: 'The interviewer had a problem answering. Go on, or type your answer.',
	provider_reconnecting: 'The interviewer lost its connection and is reconnecting. You can keep typing your answers.',
	provider_auth: 'The interviewer is not available right now. You can still type your answers.',
	provider_unavailable: 'The interviewer could not connect. We keep trying; you can also type your answers.'
} as const;
export type ProviderErrorCode = keyof typeof PROVIDER_ERRORS;

/** A provider's report about a guide question: a tool call, the cascade's JSON action, the local interviewer's own step. */
export type ProgressReport = { questionId: string; status: 'asked' | 'answered' | 'skipped'; note?: string | null };

/** The moderator's answer to a provider: whether it took the report or the request, and what to tell the model. */
export type ModeratorReply = { accepted: boolean; message: string };

/** A guide question as a provider sees it while moderating: its id to report on, and where it stands. */
export type QuestionView = {
	id: string;
	section: string;
	text: string;
	probes: string[];
	required: boolean;
	status: 'pending' | 'asked' | 'answered' | 'skipped';
};

/** What a provider reports back to the Interview Durable Object. */
export interface ProviderEvents {
	turn(turn: ProviderTurn): void | Promise<void>;
	audio(pcm: ArrayBuffer): void;
	speechStarted(): void;
	/** The interviewer has covered the guide and said goodbye. */
	finished(): void;
	/**
	 * A report on a guide question. The Interview DO owns the plan and checks every report against the
	 * transcript; a report it refuses changes nothing (the reply says why).
	 */
	progress?(report: ProgressReport): ModeratorReply;
	/** The interviewer has said goodbye and asks to end: the DO decides (every required question must be done). */
	requestEnd?(reason: string): ModeratorReply;
	/** `detail` is for the log (it is scrubbed of secrets there); the respondent sees only the code's fixed sentence. */
	error(code: ProviderErrorCode, detail: string): void;
	usage?(usage: Record<string, number>): void;
}

/** Small durable state a provider may keep across Durable Object restarts. */
export interface ProviderMemory {
	get<T>(key: string): T | undefined;
	set(key: string, value: unknown): void;
}

export type ProviderContext = {
	brief: InterviewBrief;
	/** Stored turns, oldest first: the conversation so far (read again after a reconnect, so it is current). */
	readonly history: Turn[];
	remainingMs: () => number;
	/** Milliseconds since the interview started: the timeline turns' startMs are on. */
	elapsedMs?: () => number;
	memory: ProviderMemory;
	events: ProviderEvents;
	/** The guide's questions with their ids and where each stands now (the DO's plan), to moderate by. */
	questions?: () => QuestionView[];
};

/** One live conversation with a provider. The Interview DO owns it; the provider never sees sockets or storage. */
export interface ProviderSession {
	readonly name: ProviderName;
	/** Connect (if needed) and, when the conversation is new, have the interviewer open it. */
	start(): Promise<void>;
	/** Respondent microphone audio: PCM16LE mono 24 kHz. */
	sendAudio(pcm: ArrayBuffer, atMs: number): void;
	/** A typed answer. */
	sendText(text: string): void;
	/** Tell the interviewer that time is nearly up; `lastQuestion`: the most important one still to ask. */
	wrapUp(remainingMs: number, lastQuestion?: QuestionView | null): void;
	/** Pacing from the moderator: a section ran over, move on (`next`: the question to move to), heard before the next reply. */
	steer?(note: string, next: QuestionView | null): void;
	close(): Promise<void>;
}
