import type { Quote, ReportDetail } from '../../contracts/reports';
import { clockTime } from '../records';

/** A ready report as Markdown, with every quote linking back to its record at the turn. */

const line = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

export function renderReportMarkdown(detail: ReportDetail, baseUrl: string): string {
	const document = detail.document;
	if (!document) return `# ${detail.title}\n\nThis report is ${detail.status}.\n`;
	const titles = new Map(document.records.map((entry) => [entry.id, entry.title]));
	const base = baseUrl.replace(/\/+$/, '');
	const quote = (item: Quote) => {
		const when = item.atMs === null ? '' : ` at ${clockTime(item.atMs)}`;
		return `> “${line(item.text)}”\n> — [${titles.get(item.recordId) ?? 'record'}${when}](${base}/records/${item.recordId}#turn-${item.turnId})`;
	};
	const content = document.content;
	const out = [`# ${detail.title}`, ''];
	if (document.extractive) out.push('_Extractive report made in local mode, without an AI model._', '');
	out.push(
		`Generated ${document.generatedAt} by ${document.generator} from ${document.records.length} record(s).`,
		'',
		'## Summary',
		'',
		line(content.summary),
		''
	);
	if (content.kind === 'project') {
		out.push('## Themes', '');
		for (const theme of content.themes) {
			out.push(`### ${line(theme.title)} (${theme.recordCount} of ${document.records.length} records)`, '', line(theme.description), '');
			for (const item of theme.quotes) out.push(quote(item), '');
		}
	}
	out.push('## Findings per research goal', '');
	for (const goal of content.findings) {
		out.push(`### ${line(goal.goal)}`, '');
		for (const finding of goal.findings) out.push(`- ${line(finding)}`);
		out.push('');
	}
	if (content.kind === 'project' && content.coverage && content.coverage.length > 0) {
		out.push('## Guide coverage', '', '| Question | Interviews | Answered | Skipped | Median time |', '|---|---|---|---|---|');
		for (const entry of content.coverage) {
			const median = entry.medianSeconds === null ? '—' : `${entry.medianSeconds} s`;
			out.push(
				`| ${line(entry.question).replaceAll('|', '\\|')} | ${entry.interviews} | ${entry.answered} | ${entry.skipped} | ${median} |`
			);
		}
		out.push('');
	}
	if (content.answers && content.answers.length > 0) {
		out.push('## Answers per guide question', '');
		for (const question of content.answers) {
			out.push(`### ${line(question.question)}${question.status ? ` (${question.status})` : ''}`, '');
			if (question.answers.length === 0) out.push('- _No answer._');
			for (const answer of question.answers)
				out.push(
					`- ${line(answer.text)} ([${titles.get(answer.recordId) ?? 'record'}](${base}/records/${answer.recordId}#turn-${answer.turnId}))`
				);
			out.push('');
		}
	}
	if (content.kind === 'single') {
		out.push('## Notable quotes', '');
		for (const item of content.quotes) out.push(quote(item), '');
		out.push('## Sentiment', '', `**${content.sentiment.label}**: ${line(content.sentiment.explanation)}`, '');
	} else {
		const list = (title: string, items: string[]) => {
			out.push(`## ${title}`, '');
			out.push(...(items.length > 0 ? items.map((item) => `- ${line(item)}`) : ['- _None._']), '');
		};
		list('Contradictions', content.contradictions);
		list('Outliers', content.outliers);
		list('Suggested follow-up questions', content.followUpQuestions);
	}
	if (content.keyTerms && content.keyTerms.length > 0)
		out.push('## Key terms', '', content.keyTerms.map((term) => term.term).join(', '), '');
	return out.join('\n');
}
