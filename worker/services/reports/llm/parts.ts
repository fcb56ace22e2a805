import { clockTime, speakerOf, timedTurns } from '../../records';
import { reportTurnText } from '../turn-text';
import type { ReportContext } from '../local';
import { estimateTokens } from './tokens';

/**
 * The transcripts as the prompt shows them (a heading per record, a line per turn, each turn with
 * its id and time for citations), split into parts that each fit a token budget. A part that
 * starts inside a record repeats its heading; a turn longer than a whole part is cut between words
 * and keeps its id on every piece, so citations stay valid.
 */

type Line = { text: string; tokens: number };

const line = (text: string): Line => ({ text, tokens: estimateTokens(text) + 1 });

/** A turn's line, or its pieces when the whole line is over `budget` tokens. */
function turnLines(prefix: string, text: string, budget: number): Line[] {
	const whole = line(`${prefix} ${text}`);
	if (whole.tokens <= budget) return [whole];
	const room = budget - estimateTokens(prefix) - 2;
	if (room < 16) throw new RangeError('the prompt leaves no room for the transcript');
	const pieces: Line[] = [];
	let words: string[] = [];
	let used = 0;
	for (const word of text.split(/\s+/)) {
		const cost = estimateTokens(word) + 1;
		if (used + cost > room && words.length > 0) {
			pieces.push(line(`${prefix} ${words.join(' ')}`));
			words = [];
			used = 0;
		}
		// A single "word" over the room (a run of characters with no space) is cut where it must be.
		if (cost > room) {
			const share = Math.max(1, Math.floor((word.length * room) / cost));
			for (let start = 0; start < word.length; start += share) pieces.push(line(`${prefix} ${word.slice(start, start + share)}`));
			continue;
		}
		words.push(word);
		used += cost;
	}
	if (words.length > 0) pieces.push(line(`${prefix} ${words.join(' ')}`));
	return pieces;
}

/** The transcripts in parts of at most `budget` estimated tokens each, in order. */
export function transcriptParts(context: ReportContext, budget: number): string[] {
	const parts: string[] = [];
	let current: string[] = [];
	let used = 0;
	const close = () => {
		if (current.length > 0) parts.push(current.join('\n'));
		current = [];
		used = 0;
	};
	for (const source of context.records) {
		const heading = line(`## Record ${source.id} — ${source.title}`);
		const continued = line(`${heading.text} (continued)`);
		if (used > 0 && used + heading.tokens + 1 > budget) close();
		current.push(heading.text);
		used += heading.tokens + 1;
		for (const turn of timedTurns(source.transcript)) {
			const text = reportTurnText(turn);
			if (!text) continue;
			const prefix = `[${turn.id} @ ${clockTime(turn.offsetMs)}] ${speakerOf(turn)}:`;
			for (const piece of turnLines(prefix, text, budget - continued.tokens)) {
				if (used + piece.tokens > budget) {
					close();
					current.push(continued.text);
					used = continued.tokens;
				}
				current.push(piece.text);
				used += piece.tokens;
			}
		}
		current.push('');
		used += 1;
	}
	close();
	return parts.map((part) => part.trimEnd());
}
