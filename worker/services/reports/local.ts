import type { InterviewGuide } from '../../contracts/guide';
import type { StoredTranscript } from '../../contracts/records';
import type { ProjectReportContent, Quote, SingleReportContent } from '../../contracts/reports';
import { keyTerms, similarity, splitGoals, tone, type KeyTerm } from './text';
import { clockTime, timedTurns, type TimedTurn } from '../records';
import { isUntranscribed, reportTurnText } from './turn-text';

/**
 * The local-mode report: deterministic and extractive (no model). Interviewer turns are matched to guide
 * questions by text similarity, the respondent turns that follow are the answers; TF-IDF picks key terms
 * and the quotes that carry them. The same input always gives the same JSON.
 */

export type ReportSource = { id: string; title: string; transcript: StoredTranscript };
export type ReportContext = { researchGoals: string; guide: InterviewGuide; records: ReportSource[] };

type Answer = { recordId: string; turn: TimedTurn };
const QUESTION_MATCH = 0.35;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);
const words = (text: string) => (text.trim() ? text.trim().split(/\s+/).length : 0);
const questionsOf = (guide: InterviewGuide) => guide.sections.flatMap((section) => section.questions);

function respondentTurns(source: ReportSource): Answer[] {
	return timedTurns(source.transcript)
		.filter((turn) => turn.role === 'respondent' && !isUntranscribed(turn) && turn.text.trim())
		.map((turn) => ({ recordId: source.id, turn }));
}

const voiceOnlyTurns = (source: ReportSource) =>
	source.transcript.turns.filter((turn) => turn.role === 'respondent' && isUntranscribed(turn)).length;

/**
 * Answers of one record keyed by guide question id, in guide order. A voice answer with no
 * transcript is listed as one (its text says so), so the question shows as answered; key terms,
 * findings and quotes read only answers with words.
 */
function answersByQuestion(guide: InterviewGuide, source: ReportSource): Map<string, Answer[]> {
	const questions = questionsOf(guide);
	const grouped = new Map<string, Answer[]>(questions.map((question) => [question.id, []]));
	let current: string | null = null;
	for (const turn of timedTurns(source.transcript)) {
		if (turn.role === 'interviewer') {
			let best: { id: string; score: number } | null = null;
			for (const question of questions) {
				const score = turn.text.toLowerCase().includes(question.text.toLowerCase()) ? 1 : similarity(turn.text, question.text);
				if (score >= QUESTION_MATCH && (!best || score > best.score)) best = { id: question.id, score };
			}
			if (best) current = best.id;
		} else if (current && reportTurnText(turn)) {
			grouped.get(current)!.push({ recordId: source.id, turn: { ...turn, text: reportTurnText(turn) } });
		}
	}
	return grouped;
}

const toQuote = (answer: Answer): Quote => ({
	recordId: answer.recordId,
	turnId: answer.turn.id,
	text: clip(answer.turn.text.trim(), 600),
	atMs: answer.turn.offsetMs
});

function scoreAnswer(answer: Answer, terms: KeyTerm[]): number {
	const text = ` ${answer.turn.text.toLowerCase()} `;
	return terms.reduce((sum, term) => (text.includes(term.term) ? sum + term.score : sum), 0);
}

/** Quotes carrying the most key terms; ties keep transcript order. */
function representativeQuotes(answers: Answer[], terms: KeyTerm[], limit: number): Quote[] {
	return answers
		.map((answer, index) => ({ answer, index, score: scoreAnswer(answer, terms) }))
		.filter(({ answer }) => words(answer.turn.text) >= 4)
		.sort((a, b) => b.score - a.score || a.index - b.index)
		.slice(0, limit)
		.sort((a, b) => a.index - b.index)
		.map(({ answer }) => toQuote(answer));
}

function goalFindings(researchGoals: string, answers: Answer[], titles: Map<string, string>) {
	return splitGoals(researchGoals).map((goal) => {
		const ranked = answers
			.map((answer, index) => ({ answer, index, score: similarity(goal, answer.turn.text) }))
			.filter((item) => item.score > 0)
			.sort((a, b) => b.score - a.score || a.index - b.index)
			.slice(0, 3);
		const findings = ranked.map(({ answer }) => {
			const where = titles.size > 1 ? `${titles.get(answer.recordId)}, ` : '';
			return clip(`“${answer.turn.text.trim()}” (${where}${clockTime(answer.turn.offsetMs)})`, 4000);
		});
		return { goal: clip(goal, 1000), findings: findings.length > 0 ? findings : ['No answer speaks to this goal directly.'] };
	});
}

function guideAnswers(context: ReportContext) {
	const perRecord = context.records.map((source) => answersByQuestion(context.guide, source));
	return questionsOf(context.guide).map((question) => ({
		questionId: question.id,
		question: clip(question.text, 1000),
		answers: perRecord
			.flatMap((grouped) => grouped.get(question.id) ?? [])
			.slice(0, 100)
			.map((answer) => ({ recordId: answer.recordId, turnId: answer.turn.id, text: clip(answer.turn.text.trim(), 4000) }))
	}));
}

export function localSingleReport(context: ReportContext): SingleReportContent {
	const source = context.records[0]!;
	const answers = respondentTurns(source);
	const terms = keyTerms(
		answers.map((answer) => answer.turn.text),
		12
	);
	const grouped = guideAnswers(context);
	const answered = grouped.filter((question) => question.answers.length > 0).length;
	const spoken = answers.map((answer) => answer.turn.text).join(' ');
	const feeling = tone(spoken);
	const voiceOnly = voiceOnlyTurns(source);
	const summary = [
		'Extractive report (local mode, no AI model).',
		`${answers.length} respondent turns, ${words(spoken)} words.`,
		voiceOnly > 0 ? `Voice answers not transcribed: ${voiceOnly} (counted as answered, never quoted).` : '',
		`${answered} of ${grouped.length} guide questions were answered.`,
		terms.length > 0
			? `Most distinctive terms: ${terms
					.slice(0, 5)
					.map((term) => term.term)
					.join(', ')}.`
			: ''
	]
		.filter(Boolean)
		.join(' ');
	return {
		kind: 'single',
		summary,
		findings: goalFindings(context.researchGoals, answers, new Map([[source.id, source.title]])),
		answers: grouped,
		quotes: representativeQuotes(answers, terms, 5),
		sentiment: {
			label: feeling.label,
			explanation: `A word-list estimate, not a model: ${feeling.positive} positive and ${feeling.negative} negative words in the answers.`
		},
		keyTerms: terms
	};
}

export function localProjectReport(context: ReportContext): ProjectReportContent {
	const perRecord = context.records.map((source) => ({ source, answers: respondentTurns(source) }));
	const texts = perRecord.map(({ answers }) => answers.map((answer) => answer.turn.text).join(' '));
	const terms = keyTerms(texts, 15);
	const all = perRecord.flatMap(({ answers }) => answers);
	const titles = new Map(context.records.map((source) => [source.id, source.title]));
	const total = context.records.length;
	const themes = terms.slice(0, 6).map((term) => {
		const supporting = perRecord.filter((_, index) => texts[index]!.toLowerCase().includes(term.term));
		const quotes = supporting
			.map(({ answers }) => answers.find((answer) => answer.turn.text.toLowerCase().includes(term.term)))
			.filter((answer): answer is Answer => !!answer)
			.slice(0, 3)
			.map(toQuote);
		return {
			title: term.term,
			description: `“${term.term}” comes up in ${supporting.length} of ${total} records.`,
			recordCount: supporting.length,
			quotes
		};
	});
	const tones = perRecord.map(({ source }, index) => ({ title: source.title, tone: tone(texts[index]!).label }));
	const positive = tones.filter((item) => item.tone === 'positive').map((item) => item.title);
	const negative = tones.filter((item) => item.tone === 'negative').map((item) => item.title);
	const contradictions =
		positive.length > 0 && negative.length > 0
			? [`Tone differs: ${positive.join(', ')} sound positive while ${negative.join(', ')} sound negative.`]
			: [];
	const lengths = texts.map((text) => words(text)).sort((a, b) => a - b);
	const median = lengths[Math.floor(lengths.length / 2)] ?? 0;
	const mainTerms = terms.slice(0, 6).map((term) => term.term);
	const outliers: string[] = [];
	perRecord.forEach(({ source }, index) => {
		const text = texts[index]!.toLowerCase();
		if (total > 2 && mainTerms.length > 0 && !mainTerms.some((term) => text.includes(term)))
			outliers.push(`${source.title} shares none of the main themes.`);
		else if (total > 1 && words(text) < median * 0.3)
			outliers.push(`${source.title} is much shorter than the others (${words(text)} words).`);
	});
	const answers = guideAnswers(context);
	const voiceOnly = context.records.reduce((sum, source) => sum + voiceOnlyTurns(source), 0);
	const followUpQuestions = [
		...answers
			.filter((question) => new Set(question.answers.map((answer) => answer.recordId)).size < Math.ceil(total / 2))
			.map((question) => `Ask again: ${question.question}`),
		...mainTerms.slice(0, 3).map((term) => `What makes “${term}” matter to you?`)
	].slice(0, 10);
	return {
		kind: 'project',
		summary: [
			`Extractive report (local mode, no AI model) over ${total} records: ${all.length} respondent turns.`,
			voiceOnly > 0 ? `Voice answers not transcribed: ${voiceOnly} (counted as answered, never quoted).` : '',
			`Main terms: ${mainTerms.join(', ') || 'none'}.`
		]
			.filter(Boolean)
			.join(' '),
		themes,
		findings: goalFindings(context.researchGoals, all, titles),
		contradictions,
		outliers: outliers.slice(0, 20),
		followUpQuestions,
		answers,
		keyTerms: terms
	};
}
