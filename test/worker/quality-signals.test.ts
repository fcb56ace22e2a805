import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { RecordDetail } from '../../worker/contracts/records';
import type { QualitySignals } from '../../worker/contracts/quality';
import { computeQualitySignals, detectLanguage, isNonAnswer, qualityFlagOf } from '../../worker/services/records/quality';
import { callJson } from './helpers/api';
import { join, respondent, setUp, type Setup } from './helpers/interview';
import { openSocket } from './helpers/socket';
import { ANSWERS, completeInterview, uploadText } from './records-fixtures';

type Turn = { id?: string; role: 'interviewer' | 'respondent'; text: string; transcribed?: boolean };

/** A conversation where the interviewer asks and the respondent gives each answer in turn. */
const conversation = (answers: string[]): Turn[] =>
	answers.flatMap((text, index) => [
		{ id: `q${index}`, role: 'interviewer' as const, text: 'Could you tell me a little more about that, please?' },
		{ id: `a${index}`, role: 'respondent' as const, text }
	]);

const flagOf = (input: Parameters<typeof computeQualitySignals>[0]) => qualityFlagOf(computeQualitySignals(input));
const codes = (input: Parameters<typeof computeQualitySignals>[0]) => flagOf(input).reasons.map((reason) => reason.code);

const quality = async (setup: Setup, recordId: string) =>
	(await callJson<RecordDetail>(`/api/records/${recordId}`, { as: setup.owner.as })).body.quality;

/**
 * A single-use link's interview from a given network and browser: the socket's upgrade carries the
 * address and User-Agent as Cloudflare's edge would.
 */
async function interviewFrom(setup: Setup, linkIndex: number, email: string, headers: Record<string, string>): Promise<string> {
	const link = setup.links[linkIndex]!;
	const opened = await openSocket(`/ws/interview/${link.token}`, undefined, headers);
	opened.socket.send(JSON.stringify({ type: 'hello', protocol: 1, email, consent: true }));
	await opened.next('welcome');
	let asked = 1;
	await opened.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'interviewer'));
	for (const answer of ANSWERS) {
		opened.socket.send(JSON.stringify({ type: 'text', content: answer }));
		asked += 1;
		const wanted = asked;
		await opened.waitFor((all) =>
			all.filter((message) => message.type === 'turn' && message.role === 'interviewer').length >= wanted ? true : undefined
		);
	}
	opened.socket.send(JSON.stringify({ type: 'leave' }));
	await opened.next('ended');
	const row = await env.DB.prepare('select id from record where link_id = ?').bind(link.id).first<{ id: string }>();
	return row!.id;
}

describe('quality signals (pure)', () => {
	it('measures the respondent share of words and the median answer length', () => {
		const signals = computeQualitySignals({ turns: conversation(['one two three', 'one two three four five', 'one']) });
		expect(signals.medianAnswerWords).toBe(3);
		expect(signals.respondentAnswers).toBe(3);
		// 9 respondent words of 9 + 3 × 10 interviewer words.
		expect(signals.respondentWordShare).toBeCloseTo(9 / 39, 3);
		expect(codes({ turns: conversation(['one two three', 'one two three four five', 'one']) })).toContain('short_answers');
		expect(codes({ turns: conversation(ANSWERS) })).not.toContain('short_answers');
	});

	it('flags answers that are mostly single words as low quality, and a thin share of the talk for review', () => {
		expect(flagOf({ turns: conversation(['yes', 'no', 'maybe']) }).flag).toBe('low_quality');
		const interviewerMonologue: Turn[] = [
			{ role: 'interviewer', text: 'word '.repeat(200) },
			{ role: 'respondent', text: 'I use it at work most days of the week.' },
			{ role: 'respondent', text: 'The setup was slow but fine in the end, really.' }
		];
		const judged = flagOf({ turns: interviewerMonologue });
		expect(judged.reasons).toContainEqual(expect.objectContaining({ code: 'low_respondent_share', severity: 'review' }));
		expect(judged.flag).toBe('review');
	});

	it('recognises non-answers in English and Russian (and silence), but not an answer that starts with one', () => {
		for (const text of ["I don't know.", 'no idea', 'Hmm…', '', 'Не знаю', 'Затрудняюсь ответить.', 'мм', 'No sé']) {
			expect(isNonAnswer(text), text).toBe(true);
		}
		for (const text of [
			'I use Figma for design work every day.',
			"I don't know exactly, but the price put me off at the checkout page.",
			'Я не знаю точно, но цена меня оттолкнула на странице оплаты.'
		]) {
			expect(isNonAnswer(text), text).toBe(false);
		}
		const english = flagOf({ turns: conversation(["I don't know", 'No idea, sorry.', 'Pass', ANSWERS[0]!]) });
		expect(english.reasons).toContainEqual(expect.objectContaining({ code: 'non_answers', severity: 'low_quality', value: 0.75 }));
		expect(english.flag).toBe('low_quality');
		const russian = flagOf({
			turns: conversation(['Не знаю.', 'Я работаю дизайнером в небольшой студии уже пять лет.', 'Сложно сказать'])
		});
		expect(russian.reasons).toContainEqual(expect.objectContaining({ code: 'non_answers', severity: 'low_quality' }));
		const oneOfThree = flagOf({ turns: conversation(['Не знаю', ANSWERS[1]!, ANSWERS[2]!]) });
		expect(oneOfThree.reasons).toContainEqual(expect.objectContaining({ code: 'non_answers', severity: 'review' }));
	});

	it('counts answers to guide questions far shorter than the guide expects', () => {
		const turns = conversation(['Designer.', 'Figma mostly.', ANSWERS[2]!]);
		const answered = [['a0'], ['a1'], ['a2']];
		const signals = computeQualitySignals({ turns, answeredTurnIds: answered });
		expect(signals.answersBelowGuideShare).toBeCloseTo(2 / 3, 3);
		expect(qualityFlagOf(signals).reasons).toContainEqual(expect.objectContaining({ code: 'answers_below_guide', severity: 'review' }));
		expect(computeQualitySignals({ turns: conversation(ANSWERS), answeredTurnIds: [['a0'], ['a1'], ['a2']] }).answersBelowGuideShare).toBe(
			0
		);
	});

	it('flags a speed-through: review when fast, low quality when fast and thin', () => {
		const planned = 10 * 60_000;
		const fluent = flagOf({ turns: conversation(ANSWERS), plannedMs: planned, usedMs: 60_000 });
		expect(fluent.reasons).toContainEqual(expect.objectContaining({ code: 'speed_through', severity: 'review', value: 0.1 }));
		expect(fluent.flag).toBe('review');
		const rushed = flagOf({ turns: conversation(['Designer here.', 'Figma, mostly.', 'Fine.']), plannedMs: planned, usedMs: 60_000 });
		expect(rushed.reasons).toContainEqual(expect.objectContaining({ code: 'speed_through', severity: 'low_quality' }));
		expect(codes({ turns: conversation(ANSWERS), plannedMs: planned, usedMs: 8 * 60_000 })).not.toContain('speed_through');
	});

	it('detects en, ru and es by script and stop words, and flags a mismatch with the interviewer language', () => {
		expect(detectLanguage('I think the onboarding was slow and the documentation was not there for us')).toBe('en');
		expect(detectLanguage('Я думаю, что первая неделя была сложной, потому что документации не было')).toBe('ru');
		expect(detectLanguage('Creo que la primera semana fue difícil porque no había documentación para el equipo')).toBe('es');
		expect(detectLanguage('Figma Slack Linear')).toBeNull();
		const russianAnswers = conversation([
			'Я работаю дизайнером в небольшой студии уже пять лет.',
			'Каждый день я пользуюсь Фигмой и почтой для работы.'
		]);
		const mismatch = flagOf({ turns: russianAnswers, language: 'en' });
		expect(mismatch.reasons).toContainEqual(expect.objectContaining({ code: 'language_mismatch', severity: 'review', language: 'ru' }));
		expect(codes({ turns: russianAnswers, language: 'ru' })).not.toContain('language_mismatch');
		// Auto without a page language, or a language the detector does not know, is not judged.
		expect(codes({ turns: russianAnswers, language: 'auto' })).not.toContain('language_mismatch');
		expect(codes({ turns: russianAnswers, language: 'de' })).not.toContain('language_mismatch');
	});

	it('marks a duplicate respondent: the same email is low quality, the same network and browser is for review', () => {
		expect(flagOf({ turns: conversation(ANSWERS), duplicate: { recordId: 'r1', by: 'email' } }).reasons[0]).toMatchObject({
			code: 'duplicate_email',
			severity: 'low_quality',
			relatedRecordId: 'r1'
		});
		expect(flagOf({ turns: conversation(ANSWERS), duplicate: { recordId: 'r1', by: 'network' } }).flag).toBe('review');
	});

	it('says what it could not check: no answer in words, or a recording whose speakers are not told apart', () => {
		const voiceOnly = flagOf({ turns: [{ role: 'respondent', text: '', transcribed: false }] });
		expect(voiceOnly).toEqual({ flag: 'ok', reasons: [{ code: 'text_not_checked', severity: 'info' }] });
		const recording = computeQualitySignals({
			turns: [
				{ role: 'respondent', text: 'yes' },
				{ role: 'respondent', text: 'no' }
			],
			speakersKnown: false
		});
		expect(recording).toMatchObject<Partial<QualitySignals>>({ medianAnswerWords: null, nonAnswerShare: null, respondentWordShare: null });
		expect(qualityFlagOf(recording).reasons).toEqual([{ code: 'speakers_unknown', severity: 'info' }]);
	});
});

describe('quality signals at completion', () => {
	it('computes the flag when the interview completes, with the interviewer covering the guide too fast as a reason', async () => {
		const setup = await setUp();
		const recordId = await completeInterview(setup);
		const found = await quality(setup, recordId);
		expect(found.computedFlag).toBe('review');
		expect(found.signals).toMatchObject({ respondentAnswers: 3, duplicateOfRecordId: null });
		expect(found.signals!.medianAnswerWords).toBeGreaterThan(10);
		expect(found.reasons.map((reason) => reason.code)).toEqual(['speed_through']);
	});

	it('flags the second interview of the same email in a project as a duplicate of the first', async () => {
		const setup = await setUp({ kind: 'public', count: 1, maxUses: 0 });
		const email = respondent('twice');
		const first = await completeInterview(setup, ANSWERS, { email });
		const second = await completeInterview(setup, ANSWERS, { email: email.toUpperCase() });
		expect((await quality(setup, first)).reasons.map((reason) => reason.code)).not.toContain('duplicate_email');
		const duplicate = await quality(setup, second);
		expect(duplicate.flag).toBe('low_quality');
		expect(duplicate.reasons).toContainEqual(expect.objectContaining({ code: 'duplicate_email', relatedRecordId: first }));
	});

	it('flags the same network and browser as a duplicate, keeping only a keyed hash of them', async () => {
		const setup = await setUp({ kind: 'single', count: 3 });
		const browser = { 'CF-Connecting-IP': '203.0.113.7', 'User-Agent': 'Mozilla/5.0 (Quality test)' };
		const first = await interviewFrom(setup, 0, respondent('a'), browser);
		const second = await interviewFrom(setup, 1, respondent('b'), browser);
		const elsewhere = await interviewFrom(setup, 2, respondent('c'), { ...browser, 'User-Agent': 'Another browser' });
		expect((await quality(setup, second)).reasons).toContainEqual(
			expect.objectContaining({ code: 'duplicate_network', severity: 'review', relatedRecordId: first })
		);
		expect((await quality(setup, elsewhere)).reasons.map((reason) => reason.code)).not.toContain('duplicate_network');
		const stored = await env.DB.prepare('select network_hash from interview where link_id in (?, ?)')
			.bind(setup.links[0]!.id, setup.links[1]!.id)
			.all<{ network_hash: string }>();
		const hashes = stored.results.map((row) => row.network_hash);
		expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
		expect(hashes[0]).toBe(hashes[1]);
		const everything = JSON.stringify(await env.DB.prepare('select * from interview where link_id = ?').bind(setup.links[0]!.id).all());
		expect(everything).not.toContain('203.0.113.7');
		expect(everything).not.toContain('Quality test');
	});

	it('notes the network of a multi-use join on its interview', async () => {
		const setup = await setUp({ kind: 'public', count: 1, maxUses: 0 });
		const answer = await callJson<{ url: string }>(`/api/public/links/${setup.links[0]!.token}/join`, {
			method: 'POST',
			json: { consent: true, email: respondent() },
			headers: { 'CF-Connecting-IP': '198.51.100.4', 'User-Agent': 'Multi-use browser' }
		});
		expect(answer.body.url).toContain('ticket=');
		const row = await env.DB.prepare('select network_hash from interview where link_id = ?')
			.bind(setup.links[0]!.id)
			.first<{ network_hash: string | null }>();
		expect(row!.network_hash).toMatch(/^[0-9a-f]{64}$/);
	});

	it('flags an interview answered in another language than the interviewer speaks', async () => {
		const setup = await setUp({ kind: 'single', count: 1 }, { language: 'en' });
		const joined = await join(setup.links[0]!.token, { email: respondent() });
		await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'interviewer'));
		const answers = ['Я работаю дизайнером в небольшой студии уже пять лет.', 'Каждый день я пользуюсь Фигмой и почтой для работы.'];
		let asked = 1;
		for (const answer of answers) {
			joined.socket.send(JSON.stringify({ type: 'text', content: answer }));
			asked += 1;
			const wanted = asked;
			await joined.waitFor((all) =>
				all.filter((message) => message.type === 'turn' && message.role === 'interviewer').length >= wanted ? true : undefined
			);
		}
		joined.socket.send(JSON.stringify({ type: 'leave' }));
		await joined.next('ended');
		const row = await env.DB.prepare('select id from record where link_id = ?').bind(setup.links[0]!.id).first<{ id: string }>();
		const found = await quality(setup, row!.id);
		expect(found.signals).toMatchObject({ detectedLanguage: 'ru', expectedLanguage: 'en' });
		expect(found.reasons).toContainEqual(expect.objectContaining({ code: 'language_mismatch', language: 'ru' }));
	});

	it('assesses an uploaded transcript with speakers, without the checks an upload cannot have', async () => {
		const setup = await setUp();
		const text = [
			'Interviewer: What is your role?',
			'Respondent: I do not know.',
			'Interviewer: Which tools do you use?',
			'Respondent: No idea.',
			'Interviewer: How was your first week?',
			'Respondent: Pass.'
		].join('\n');
		const uploaded = await uploadText(setup.owner, setup.project.id, 'call.txt', text);
		expect(uploaded.quality.computedFlag).toBe('low_quality');
		expect(uploaded.quality.reasons.map((reason) => reason.code)).toContain('non_answers');
		expect(uploaded.quality.signals).toMatchObject({ durationShareOfPlan: null, duplicateOfRecordId: null, expectedLanguage: null });
	});
});
