import type { GuideQuestion, GuideSection, InterviewGuide } from './guide';

/** Short random ids for guide sections and questions; stable once saved. */
export function guideId(prefix: 's' | 'q'): string {
	const bytes = crypto.getRandomValues(new Uint8Array(6));
	return prefix + Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const HEADING = /^#{1,6}\s+(.+?)\s*#*$/;
const LIST_ITEM = /^(\s*)(?:[-*+•]|\d+[.)]|[a-zA-Z][.)])\s+(.+)$/;
/** A question marked "(optional)" may be skipped when time runs short; every other one is required. */
const OPTIONAL_MARK = /\s*\(optional\)\s*$/i;
const PROBE_LABEL = /^(?:probes?|follow[- ]?ups?)\s*:\s*(.*)$/i;
const SECTION_LABEL = /^(?:section|part|block|topic)\s+[\w.-]+\s*[:.—–-]\s*(.+)$/i;

function cleanInline(text: string): string {
	return text
		.replace(/\*\*(.+?)\*\*|__(.+?)__/g, '$1$2')
		.replace(/\s+/g, ' ')
		.trim();
}

function looksLikeSectionTitle(line: string): boolean {
	if (SECTION_LABEL.test(line)) return true;
	if (line.endsWith('?')) return false;
	if (line.endsWith(':')) return true;
	const letters = line.replace(/[^\p{L}]/gu, '');
	return letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

/**
 * Turns a pasted plain-text or Markdown guide into sections and questions.
 * Headings and title-like lines start sections; list items and question lines become questions;
 * indented items and "Probe:" lines become probes of the question above.
 */
export function parseGuideText(text: string): InterviewGuide {
	const sections: GuideSection[] = [];
	let section: GuideSection | null = null;
	let question: GuideQuestion | null = null;
	let questionIndent = 0;

	const startSection = (title: string) => {
		section = { id: guideId('s'), title: cleanInline(title).replace(/:$/, ''), questions: [] };
		sections.push(section);
		question = null;
	};
	const addQuestion = (value: string, indent: number) => {
		if (!section) startSection('');
		const optional = OPTIONAL_MARK.test(value);
		question = { id: guideId('q'), text: cleanInline(value.replace(OPTIONAL_MARK, '')), probes: [], required: !optional };
		questionIndent = indent;
		section!.questions.push(question);
	};
	const addProbe = (value: string) => {
		const probe = cleanInline(value);
		if (probe && question) question.probes.push(probe);
	};

	for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
		const line = raw.trimEnd();
		const trimmed = line.trim();
		if (!trimmed || /^[-*_=]{3,}$/.test(trimmed)) continue;

		const heading = HEADING.exec(trimmed);
		if (heading) {
			startSection(heading[1]!);
			continue;
		}
		const probeLabel = PROBE_LABEL.exec(trimmed.replace(/^[-*+•]\s+/, ''));
		if (probeLabel && question) {
			addProbe(probeLabel[1]!);
			continue;
		}
		const item = LIST_ITEM.exec(line);
		if (item) {
			const indent = item[1]!.replace(/\t/g, '    ').length;
			if (question && indent > questionIndent) addProbe(item[2]!);
			else addQuestion(item[2]!, indent);
			continue;
		}
		const sectionLabel = SECTION_LABEL.exec(trimmed);
		if (sectionLabel) startSection(sectionLabel[1]!);
		else if (looksLikeSectionTitle(trimmed)) startSection(trimmed);
		else if (question && /^\s+/.test(line) && !trimmed.endsWith('?')) addProbe(trimmed);
		else addQuestion(trimmed, 0);
	}
	return { sections: sections.filter((candidate) => candidate.questions.length > 0 || candidate.title) };
}

/** The Markdown form of a guide: `##` sections, numbered questions, indented probes. */
export function renderGuideMarkdown(guide: InterviewGuide): string {
	const blocks: string[] = [];
	let number = 0;
	for (const section of guide.sections) {
		const lines: string[] = [];
		if (section.title) lines.push(`## ${section.title}`, '');
		for (const question of section.questions) {
			number += 1;
			lines.push(`${number}. ${question.text}${question.required ? '' : ' (optional)'}`);
			for (const probe of question.probes) lines.push(`   - ${probe}`);
		}
		blocks.push(lines.join('\n'));
	}
	return blocks.join('\n\n').trim() + (blocks.length ? '\n' : '');
}
