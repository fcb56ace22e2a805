/**
 * The moderation tools OpenAI's model reports through: `record_progress` for a guide question and
 * `end_interview` after its goodbye. Calls are checked like frames from a browser: an unknown tool,
 * arguments that do not parse, a repeated call and a report the moderator refuses change nothing,
 * and every call gets an answer saying what happened and what remains.
 */
import type {
	ConversationItemCreateEvent,
	RealtimeFunctionTool,
	ResponseFunctionCallArgumentsDoneEvent
} from 'openai/resources/realtime/realtime';
import type { Turn } from '../../contracts/protocol';
import { logInfo } from '../../lib/log';
import type { ModeratorReply, ProgressReport, ProviderEvents } from '../provider';

const STATUSES = ['asked', 'answered', 'skipped'] as const;

export const MODERATION_TOOLS: RealtimeFunctionTool[] = [
	{
		type: 'function',
		name: 'record_progress',
		description:
			'Report a guide question: "asked" right after you asked it, "answered" once the respondent has answered it, "skipped" if they decline it or time runs short. Use the id in brackets from the guide.',
		parameters: {
			type: 'object',
			properties: {
				question_id: { type: 'string', description: 'The question id from the guide, e.g. q1.' },
				status: { type: 'string', enum: [...STATUSES] },
				note: { type: 'string', description: 'Optional: a few words on the answer.' }
			},
			required: ['question_id', 'status'],
			additionalProperties: false
		}
	},
	{
		type: 'function',
		name: 'end_interview',
		description: 'Call after you have thanked the respondent and said goodbye. The answer says whether the interview ends or what remains.',
		parameters: {
			type: 'object',
			properties: { reason: { type: 'string', description: 'Why the interview ends, e.g. "the guide is covered".' } },
			required: ['reason'],
			additionalProperties: false
		}
	}
];

const output = (callId: string, reply: ModeratorReply): ConversationItemCreateEvent => ({
	type: 'conversation.item.create',
	item: { type: 'function_call_output', call_id: callId, output: JSON.stringify({ accepted: reply.accepted, message: reply.message }) }
});

const refusal = (message: string): ModeratorReply => ({ accepted: false, message });

function parseArguments(text: string): Record<string, unknown> | null {
	try {
		const value: unknown = JSON.parse(text);
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}

function readProgress(args: Record<string, unknown>): ProgressReport | null {
	const { question_id: questionId, status, note } = args;
	if (typeof questionId !== 'string' || !STATUSES.includes(status as ProgressReport['status'])) return null;
	return { questionId, status: status as ProgressReport['status'], note: typeof note === 'string' ? note : null };
}

export type ToolHost = {
	events: ProviderEvents;
	/** The stored turns now (the goodbye must be among them before the interview may end). */
	history: () => readonly Turn[];
	send: (event: ConversationItemCreateEvent) => void;
};

/**
 * One interview's tool calls. After a response that called tools, the model hears the answers at its
 * next response; one is asked for at once when the response said nothing (the model waits on the
 * answers to go on) or when its goodbye was refused (it must go back to the guide).
 */
export class ToolCalls {
	private readonly answered = new Set<string>();
	private calledThisResponse = false;
	private spokeThisResponse = false;
	private endRefused = false;

	constructor(private readonly host: ToolHost) {}

	/** A fresh response: nothing called or said in it yet. */
	responseStarted(): void {
		this.calledThisResponse = false;
		this.spokeThisResponse = false;
		this.endRefused = false;
	}

	/** The response has a message item (the interviewer speaks in it). */
	spoke(): void {
		this.spokeThisResponse = true;
	}

	handle(call: ResponseFunctionCallArgumentsDoneEvent): void {
		if (this.answered.has(call.call_id)) return this.ignore(call, 'repeated call');
		this.answered.add(call.call_id);
		this.calledThisResponse = true;
		const reply = this.decide(call);
		this.host.send(output(call.call_id, reply));
	}

	/** At `response.done`: whether a reply must be asked for now, for the model to act on the answers. */
	followUp(): boolean {
		const needed = this.calledThisResponse && (!this.spokeThisResponse || this.endRefused);
		this.responseStarted();
		return needed;
	}

	private decide(call: ResponseFunctionCallArgumentsDoneEvent): ModeratorReply {
		const { events } = this.host;
		const args = parseArguments(call.arguments);
		if (!args) return this.refuse(call, 'the arguments are not a JSON object');
		if (call.name === 'record_progress') {
			const report = readProgress(args);
			if (!report) return this.refuse(call, 'record_progress needs question_id and a status of asked, answered or skipped');
			return events.progress?.(report) ?? refusal('Progress is not tracked in this interview.');
		}
		if (call.name === 'end_interview') {
			const said = this.host.history().filter((turn) => turn.final);
			if (said.at(-1)?.role !== 'interviewer') return this.refuse(call, 'say goodbye to the respondent first, then call end_interview');
			const reason = typeof args.reason === 'string' ? args.reason.slice(0, 200) : 'the interviewer said goodbye';
			const verdict = events.requestEnd?.(reason) ?? refusal('The interview ends at its deadline.');
			if (!verdict.accepted) this.endRefused = true;
			return verdict;
		}
		return this.refuse(call, `there is no tool named "${call.name}"`);
	}

	private refuse(call: ResponseFunctionCallArgumentsDoneEvent, reason: string): ModeratorReply {
		this.ignore(call, reason);
		return refusal(`Not done: ${reason}.`);
	}

	private ignore(call: ResponseFunctionCallArgumentsDoneEvent, reason: string): void {
		logInfo('openai.tool_call_ignored', { tool: call.name, reason });
		this.host.events.usage?.({ 'openai.tool_calls_ignored': 1 });
	}
}
