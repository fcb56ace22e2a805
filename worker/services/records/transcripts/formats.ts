import type { StoredTranscript, TranscriptTurn } from '../../../contracts/records';

/** Renders a stored transcript as plain text, Markdown or WebVTT. Offsets are relative to the interview start. */

export type TimedTurn = TranscriptTurn & { offsetMs: number; untilMs: number };

const MIN_CUE_MS = 1000;
const MS_PER_WORD = 400;

export function turnOffsetMs(transcript: Pick<StoredTranscript, 'startedAt'>, turn: TranscriptTurn): number {
	if (typeof turn.startMs === 'number' && turn.startMs >= 0) return Math.round(turn.startMs);
	return Math.max(0, Math.round(turn.at - transcript.startedAt));
}

/** Each turn with a start and an end that never run backwards, so cues and seeks stay ordered. */
export function timedTurns(transcript: StoredTranscript): TimedTurn[] {
	const starts: number[] = [];
	let floor = 0;
	for (const turn of transcript.turns) {
		floor = Math.max(floor, turnOffsetMs(transcript, turn));
		starts.push(floor);
	}
	return transcript.turns.map((turn, index) => {
		const start = starts[index]!;
		const words = turn.text.trim() ? turn.text.trim().split(/\s+/).length : 0;
		const spoken =
			typeof turn.endMs === 'number' && turn.endMs > start ? Math.round(turn.endMs) : start + Math.max(MIN_CUE_MS, words * MS_PER_WORD);
		const next = starts[index + 1];
		const until = next !== undefined && next > start ? Math.min(spoken, next) : spoken;
		return { ...turn, offsetMs: start, untilMs: Math.max(until, start + 1) };
	});
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `hh:mm:ss.mmm`, as WebVTT wants it. */
export function vttTimestamp(ms: number): string {
	const total = Math.max(0, Math.round(ms));
	return `${pad(Math.floor(total / 3_600_000))}:${pad(Math.floor(total / 60_000) % 60)}:${pad(Math.floor(total / 1000) % 60)}.${pad(total % 1000, 3)}`;
}

/** `m:ss` (or `h:mm:ss`) for people. */
export function clockTime(ms: number): string {
	const seconds = Math.max(0, Math.floor(ms / 1000));
	const hours = Math.floor(seconds / 3600);
	const minutes = Math.floor(seconds / 60) % 60;
	return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds % 60)}` : `${minutes}:${pad(seconds % 60)}`;
}

export function speakerOf(turn: TranscriptTurn): string {
	if (turn.speaker) return turn.speaker;
	return turn.role === 'interviewer' ? 'Interviewer' : 'Respondent';
}

const shownText = (turn: TranscriptTurn) => (turn.transcribed === false && !turn.text.trim() ? '[untranscribed audio]' : turn.text.trim());

export function renderText(transcript: StoredTranscript, title: string): string {
	const lines = [title, ''];
	for (const turn of timedTurns(transcript)) lines.push(`[${clockTime(turn.offsetMs)}] ${speakerOf(turn)}: ${shownText(turn)}`);
	return `${lines.join('\n')}\n`;
}

export function renderMarkdown(transcript: StoredTranscript, title: string): string {
	const lines = [`# ${title.replace(/\n/g, ' ')}`, ''];
	if (transcript.respondentEmail) lines.push(`- Respondent: ${transcript.respondentEmail}`);
	lines.push(`- Started: ${new Date(transcript.startedAt).toISOString()}`, '');
	for (const turn of timedTurns(transcript)) lines.push(`**${speakerOf(turn)}** _(${clockTime(turn.offsetMs)})_: ${shownText(turn)}`, '');
	return lines.join('\n');
}

const vttEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/-->/g, '--&gt;');

export function renderVtt(transcript: StoredTranscript): string {
	const blocks = ['WEBVTT', ''];
	for (const turn of timedTurns(transcript)) {
		const voice = speakerOf(turn).replace(/[<>&]/g, '');
		const body = vttEscape(shownText(turn)).replace(/\n+/g, ' ') || '…';
		blocks.push(
			turn.id.replace(/-->|\n/g, ' '),
			`${vttTimestamp(turn.offsetMs)} --> ${vttTimestamp(turn.untilMs)}`,
			`<v ${voice}>${body}`,
			''
		);
	}
	return blocks.join('\n');
}
