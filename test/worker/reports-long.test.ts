import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReportDetail, SingleReportContent } from '../../worker/contracts/reports';
import { createDatabase } from '../../worker/db/client';
import type { Principal } from '../../worker/lib/principal';
import { createRecordReport } from '../../worker/services/reports';
import { createFakeLlama, type LlamaCall } from '../fakes/ai-llama-reports';
import { callJson, signUp, type TestUser } from './helpers/api';
import { createProject } from './helpers/workspace';
import { runJobs, uploadText, withVars } from './records-fixtures';

const vars = { AI_PROVIDER: 'workers-ai', PUBLIC_BASE_URL: env.PUBLIC_BASE_URL };
const noQueue = { send: async () => undefined } as unknown as Queue;

afterEach(() => vi.restoreAllMocks());

const SENTENCES = [
	'Я работаю старшей медсестрой в детской больнице уже восемь лет и отвечаю за расписание смен всего отделения.',
	'Первая неделя с новой системой была тяжёлой, потому что инструкции лежали в разных папках и никто не знал, где искать.',
	'Больше всего времени уходит на то, чтобы вручную переносить данные из таблицы в отчёт для главного врача каждую пятницу.',
	'Коллеги помогали друг другу, но без понятной документации каждый придумывал свой способ, и ошибки повторялись.',
	'Если бы можно было выгружать отчёт одной кнопкой, я бы сэкономила почти час в неделю и меньше нервничала.'
];

/** A long interview in Russian: 40 answers of about 1,900 characters each, about 80,000 characters in all. */
function russianInterview(): string {
	const lines: string[] = [];
	for (let index = 0; index < 40; index += 1) {
		lines.push(`Interviewer: Расскажите подробнее, что происходило дальше? Вопрос номер ${index + 1}.`);
		const answer = Array.from({ length: 18 }, (_, sentence) => SENTENCES[(index + sentence) % SENTENCES.length]).join(' ');
		lines.push(`Respondent: Ответ ${index + 1}. ${answer}`);
	}
	return `${lines.join('\n')}\n`;
}

function principalOf(user: TestUser): Principal {
	return { userId: user.me.user.id, workspaceId: user.me.workspace.id, role: 'owner', method: 'session' };
}

async function reportOnLongInterview(fake: ReturnType<typeof createFakeLlama>) {
	const owner = await signUp('long-report');
	const project = await createProject(owner);
	const record = await uploadText(owner, project.id, 'интервью.txt', russianInterview());
	const queued = await createRecordReport(
		{ JOBS: noQueue, ...vars, OPENAI_API_KEY: '' },
		createDatabase(env.DB),
		principalOf(owner),
		record.id
	);
	vi.spyOn(env.AI, 'run').mockImplementation(fake.run as never);
	await runJobs([{ type: 'report.generate', workspaceId: owner.me.workspace.id, reportId: queued.id }], withVars(vars));
	const turns = (await callJson<{ id: string; role: string }[]>(`/api/records/${record.id}/transcript?format=json`, { as: owner.as })).body;
	const report = (await callJson<ReportDetail>(`/api/reports/${queued.id}`, { as: owner.as })).body;
	const ids = (role?: string) => turns.filter((turn) => !role || turn.role === role).map((turn) => `${record.id}/${turn.id}`);
	return { report, turnIds: ids(), respondentIds: new Set(ids('respondent')) };
}

/** Every turn went to exactly one part, none was left out, and the merge kept the parts in the transcript's order. */
function expectEachTurnOnceInOrder(parts: LlamaCall[], turnIds: string[], report: ReportDetail) {
	expect(parts.flatMap((call) => call.turnIds).sort()).toEqual([...turnIds].sort());
	const ranges = [...(report.document!.content as SingleReportContent).summary.matchAll(/Turns t(\d+)–t(\d+)\./g)].map((match) => [
		Number(match[1]),
		Number(match[2])
	]);
	expect(ranges).toHaveLength(parts.length);
	expect(ranges[0]![0]).toBe(1);
	expect(ranges.at(-1)![1]).toBe(turnIds.length);
	ranges.slice(1).forEach(([first], index) => expect(first).toBe(ranges[index]![1]! + 1));
}

describe('Workers AI reports on a long Russian interview', () => {
	it("budget the prompt by tokens, report on parts that fit Llama's window, and merge the parts into one report", async () => {
		const fake = createFakeLlama();
		const { report, turnIds, respondentIds } = await reportOnLongInterview(fake);
		expect(report).toMatchObject({ status: 'ready', generator: 'workers-ai', error: null });
		expect(fake.refusals).toEqual([]);
		const parts = fake.calls.filter((call) => call.kind === 'part');
		expect(parts.length).toBeGreaterThanOrEqual(2);
		expect(fake.calls.filter((call) => call.kind === 'merge').length).toBeGreaterThanOrEqual(1);
		for (const call of fake.calls) expect(call.promptTokens + call.maxTokens).toBeLessThanOrEqual(24_000);
		expectEachTurnOnceInOrder(parts, turnIds, report);

		const content = report.document!.content as SingleReportContent;
		expect(content.summary).toMatch(/^Merged \d+ parts/);
		expect(content.answers[0]!.answers).toHaveLength(parts.length);
		// Each part's quote survives the merge, cited to a real turn.
		expect(content.quotes.map((quote) => `${quote.recordId}/${quote.turnId}`)).toEqual(
			parts.map((call) => call.turnIds.find((id) => respondentIds.has(id)))
		);
		expect(content.quotes[0]!.text).toMatch(/^Ответ 1\./);
	});

	it('halves a part the model still finds too long, and still writes the report', async () => {
		const fake = createFakeLlama({ contextTokens: 17_000 });
		const { report, turnIds } = await reportOnLongInterview(fake);
		expect(fake.refusals.length).toBeGreaterThanOrEqual(1);
		expect(report).toMatchObject({ status: 'ready', error: null });
		expectEachTurnOnceInOrder(
			fake.calls.filter((call) => call.kind === 'part'),
			turnIds,
			report
		);
	});
});
