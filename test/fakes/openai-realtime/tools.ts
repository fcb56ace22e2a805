/**
 * The fake model's use of the moderation tools, when a session declares them: it reads the guide in
 * its instructions (`[id] text (required; state)` lines) and reports the way a careful model would —
 * a question is asked when its reply contains the question's words, answered once the respondent
 * has spoken after that, and a reply that says goodbye calls `end_interview`. It keeps the answers
 * it gets; a refused goodbye that names a question makes its next reply ask that question.
 */
import { randomUUID } from 'node:crypto';

const GUIDE_LINE = /^\[([^\]]+)\] (.*) \((?:required|optional); (pending|asked|answered|skipped)\)$/;
const GOODBYE = /goodbye/i;
const NAMED_QUESTION = /\[[^\]]+\] ([^;.]*\?)/;

export type FakeToolCall = { callId: string; name: string; arguments: string };
export type FakeToolOutput = { callId: string; name: string; output: string };

type Question = { id: string; text: string; status: string; heardSince: boolean };

export class FakeToolUse {
	private enabled = false;
	private questions: Question[] = [];
	private readonly open = new Map<string, string>();
	private steer: string | null = null;
	readonly calls: FakeToolCall[] = [];
	readonly outputs: FakeToolOutput[] = [];

	/** An accepted `session.update`: the tools it declares and the guide in its instructions (states as they were then). */
	configure(session: Record<string, any>): void {
		const tools: unknown[] = Array.isArray(session.tools) ? session.tools : [];
		this.enabled = tools.some((tool) => (tool as { name?: string }).name === 'record_progress');
		const known = new Map(this.questions.map((question) => [question.id, question]));
		this.questions = String(session.instructions ?? '')
			.split('\n')
			.flatMap((line) => {
				const match = GUIDE_LINE.exec(line.trim());
				if (!match) return [];
				const mine = known.get(match[1]!);
				return [{ id: match[1]!, text: match[2]!, status: mine?.status ?? match[3]!, heardSince: mine?.heardSince ?? false }];
			});
	}

	/** The respondent spoke or typed. */
	heardRespondent(): void {
		for (const question of this.questions) if (question.status === 'asked') question.heardSince = true;
	}

	/** The calls a reply with this transcript makes after speaking it. */
	callsFor(transcript: string): FakeToolCall[] {
		if (!this.enabled) return [];
		const calls: FakeToolCall[] = [];
		const call = (name: string, args: Record<string, unknown>) => {
			const made = { callId: `call_${randomUUID().slice(0, 12)}`, name, arguments: JSON.stringify(args) };
			this.open.set(made.callId, name);
			this.calls.push(made);
			calls.push(made);
		};
		for (const question of this.questions) {
			if (question.status !== 'asked' || !question.heardSince) continue;
			question.status = 'answered';
			call('record_progress', { question_id: question.id, status: 'answered' });
		}
		for (const question of this.questions) {
			if (question.status !== 'pending' || !transcript.toLowerCase().includes(question.text.toLowerCase())) continue;
			question.status = 'asked';
			question.heardSince = false;
			call('record_progress', { question_id: question.id, status: 'asked' });
		}
		if (GOODBYE.test(transcript)) call('end_interview', { reason: 'the guide is covered' });
		return calls;
	}

	/** A `function_call_output` item; returns an error message when it answers no open call. */
	output(item: Record<string, any>): string | null {
		const name = this.open.get(item.call_id);
		if (!name) return `No function call with call_id '${String(item.call_id)}' is waiting for output.`;
		this.open.delete(item.call_id);
		const output = String(item.output ?? '');
		this.outputs.push({ callId: item.call_id, name, output });
		if (name === 'end_interview') {
			const answer = JSON.parse(output) as { accepted?: boolean; message?: string };
			const named = answer.accepted === false ? NAMED_QUESTION.exec(answer.message ?? '') : null;
			if (named) this.steer = `There is one more thing I would like to ask. ${named[1]}`;
		}
		return null;
	}

	/** The next reply's words when a refused goodbye sent the model back to a question (consumed). */
	steeredReply(): string | null {
		const steer = this.steer;
		this.steer = null;
		return steer;
	}
}
