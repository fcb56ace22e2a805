import { ApiError } from '../../../lib/errors';

/** Turns an uploaded transcript (.txt, .md, .vtt, .srt) into speaker turns, detecting speakers where they are marked. */

export type ParsedTurn = { role: 'interviewer' | 'respondent'; speaker?: string; text: string; startMs?: number; endMs?: number };
export type TextFormat = 'txt' | 'md' | 'vtt' | 'srt';

const INTERVIEWER_LABELS = new Set([
	'interviewer',
	'moderator',
	'q',
	'question',
	'host',
	'researcher',
	'ai',
	'ai interviewer',
	'facilitator'
]);
const RESPONDENT_LABELS = new Set(['respondent', 'a', 'answer', 'participant', 'interviewee', 'user', 'customer', 'guest']);
const SPEAKER_LINE =
	/^(?:\[(\d{1,2}(?::\d{2}){1,2})\]\s*)?(?:\*\*([^*\n]{1,40}?):?\*\*:?|([A-Za-z][\w .'’-]{0,39}?)\s*:)\s*(?:_\((\d{1,2}(?::\d{2}){1,2})\)_:?\s*)?(.*)$/;
const CUE_TIMING = /^((?:\d{1,}:)?\d{2}:\d{2}[.,]\d{3})\s+-->\s+((?:\d{1,}:)?\d{2}:\d{2}[.,]\d{3})(?:\s+.*)?$/;

const malformed = (message: string) => new ApiError('invalid_file', message);

function clockToMs(clock: string): number {
	const parts = clock.replace(',', '.').split(':').map(Number);
	return Math.round(parts.reduce((total, part) => total * 60 + part, 0) * 1000);
}

type Labelled = { speaker?: string; text: string; startMs?: number; endMs?: number };

/** Known labels map to a role; other names: the first one speaking is the interviewer unless a known interviewer label exists. */
function assignRoles(items: Labelled[]): ParsedTurn[] {
	const names = items.map((item) => item.speaker?.trim().toLowerCase()).filter((name): name is string => !!name);
	const hasInterviewerLabel = names.some((name) => INTERVIEWER_LABELS.has(name));
	const firstUnknown = names.find((name) => !INTERVIEWER_LABELS.has(name) && !RESPONDENT_LABELS.has(name));
	return items.map((item) => {
		const name = item.speaker?.trim().toLowerCase();
		let role: ParsedTurn['role'] = 'respondent';
		if (name && INTERVIEWER_LABELS.has(name)) role = 'interviewer';
		else if (name && !RESPONDENT_LABELS.has(name) && !hasInterviewerLabel && name === firstUnknown && new Set(names).size > 1)
			role = 'interviewer';
		const turn: ParsedTurn = { role, text: item.text };
		if (item.speaker) turn.speaker = item.speaker.trim();
		if (item.startMs !== undefined) turn.startMs = item.startMs;
		if (item.endMs !== undefined) turn.endMs = item.endMs;
		return turn;
	});
}

function splitSpeaker(line: string): Labelled | null {
	const match = SPEAKER_LINE.exec(line);
	if (!match) return null;
	const speaker = (match[2] ?? match[3] ?? '').trim();
	if (!speaker || speaker.split(/\s+/).length > 3) return null;
	const clock = match[1] ?? match[4];
	return { speaker, text: match[5]!.trim(), ...(clock ? { startMs: clockToMs(clock) } : {}) };
}

function parsePlain(text: string, markdown: boolean): Labelled[] {
	const items: Labelled[] = [];
	let current = null as Labelled | null;
	for (const raw of text.split(/\r?\n/)) {
		let line = raw.trim();
		if (markdown && (/^#{1,6}\s/.test(line) || /^[-*]\s+(Respondent|Started):/.test(line) || /^(---|\*\*\*)$/.test(line))) continue;
		if (markdown) line = line.replace(/^>\s?/, '');
		if (!line) {
			current = current?.speaker ? current : null;
			continue;
		}
		const labelled = splitSpeaker(line);
		if (labelled) {
			current = labelled;
			items.push(current);
		} else if (current) {
			current.text = current.text ? `${current.text} ${line}` : line;
		} else {
			current = { text: line };
			items.push(current);
		}
	}
	return items.filter((item) => item.text.trim().length > 0);
}

function cueText(lines: string[], vtt: boolean): Labelled {
	let speaker: string | undefined;
	const joined = lines.join(' ').trim();
	const voice = vtt ? /<v(?:\.[\w.-]+)?\s+([^>]+)>/.exec(joined) : null;
	if (voice) speaker = voice[1]!.trim();
	let text = joined
		.replace(/<[^>]*>/g, '')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&')
		.trim();
	if (!speaker) {
		const labelled = splitSpeaker(text);
		if (labelled?.speaker) {
			speaker = labelled.speaker;
			text = labelled.text;
		}
	}
	return { speaker, text };
}

function parseCues(text: string, vtt: boolean): Labelled[] {
	const blocks = text
		.replace(/\r\n?/g, '\n')
		.split(/\n{2,}/)
		.map((block) => block.split('\n').filter((line) => line.length > 0))
		.filter((lines) => lines.length > 0);
	if (vtt) {
		const header = blocks.shift();
		if (!header || !/^WEBVTT(?:[ \t].*)?$/.test(header[0]!)) throw malformed('This is not a WebVTT file: it must start with "WEBVTT".');
	}
	const items: Labelled[] = [];
	for (const lines of blocks) {
		if (vtt && /^(NOTE|STYLE|REGION)(\s|$)/.test(lines[0]!)) continue;
		const timingIndex = lines.findIndex((line) => line.includes('-->'));
		if (timingIndex < 0 || timingIndex > 1) throw malformed(`A cue has no timing line: "${lines[0]!.slice(0, 60)}".`);
		const timing = CUE_TIMING.exec(lines[timingIndex]!.trim());
		if (!timing) throw malformed(`A cue has an invalid timing line: "${lines[timingIndex]!.slice(0, 60)}".`);
		const startMs = clockToMs(timing[1]!);
		const endMs = clockToMs(timing[2]!);
		if (endMs < startMs) throw malformed(`A cue ends before it starts: "${lines[timingIndex]!.slice(0, 60)}".`);
		const body = cueText(lines.slice(timingIndex + 1), vtt);
		if (body.text) items.push({ ...body, startMs, endMs });
	}
	return items;
}

export function parseTranscriptText(text: string, format: TextFormat): ParsedTurn[] {
	const content = text.replace(/^\uFEFF/, '');
	const items = format === 'vtt' || format === 'srt' ? parseCues(content, format === 'vtt') : parsePlain(content, format === 'md');
	if (items.length === 0) throw malformed('The file has no transcript text in it.');
	return assignRoles(items);
}
