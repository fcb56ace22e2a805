import { describe, expect, it } from 'vitest';
import type { RecordDetail } from '../../worker/contracts/records';
import type { ReportSummary } from '../../worker/contracts/reports';
import { callJson, type TestUser } from './helpers/api';
import { setUp } from './helpers/interview';
import { ANSWERS, completeInterview, runJobs, settleReport, uploadText } from './records-fixtures';

const NON_ANSWERS = [
	'Interviewer: What is your role?',
	'Respondent: I don’t know.',
	'Interviewer: And your tools?',
	'Respondent: No idea.'
];

const createReport = (user: TestUser, projectId: string, json?: unknown) =>
	callJson<ReportSummary & { error?: { code: string; message: string } }>(`/api/projects/${projectId}/reports`, {
		method: 'POST',
		...(json === undefined ? {} : { json }),
		as: user.as
	});

describe('project reports and low-quality records', () => {
	it('leaves low-quality records out by default, and the generator reads only the others', async () => {
		const setup = await setUp();
		const good = await completeInterview(setup);
		const low = await uploadText(setup.owner, setup.project.id, 'no-answers.txt', NON_ANSWERS.join('\n'));
		expect(low.quality.flag).toBe('low_quality');

		const created = await createReport(setup.owner, setup.project.id);
		expect(created.status).toBe(202);
		expect(created.body).toMatchObject({ recordIds: [good], includeLowQuality: false, excludedLowQuality: 1 });
		const report = await settleReport(setup.owner, created.body.id);
		expect(report.status).toBe('ready');
		// What the local generator was given is what it lists and quotes: the one record that is not low quality.
		expect(report.document!.records.map((entry) => entry.id)).toEqual([good]);
		const quoted = report.document!.content.kind === 'project' ? report.document!.content.themes.flatMap((theme) => theme.quotes) : [];
		expect(quoted.every((quote) => quote.recordId === good)).toBe(true);
		expect(JSON.stringify(report.document)).not.toContain('No idea');
	});

	it('includes them when asked, and says so on the report', async () => {
		const setup = await setUp();
		const good = await completeInterview(setup, ANSWERS);
		const low = await uploadText(setup.owner, setup.project.id, 'no-answers.txt', NON_ANSWERS.join('\n'));
		const created = await createReport(setup.owner, setup.project.id, { includeLowQuality: true });
		expect(created.status).toBe(202);
		expect(created.body).toMatchObject({ includeLowQuality: true, excludedLowQuality: 0 });
		expect([...created.body.recordIds].sort()).toEqual([good, low.id].sort());
		const report = await settleReport(setup.owner, created.body.id);
		expect(report.document!.records.map((entry) => entry.id).sort()).toEqual([good, low.id].sort());
	});

	it('follows the override: a low-quality record marked ok goes in, a good one marked low quality stays out', async () => {
		const setup = await setUp();
		const good = await completeInterview(setup);
		const low = await uploadText(setup.owner, setup.project.id, 'no-answers.txt', NON_ANSWERS.join('\n'));
		const put = (recordId: string, flag: string) =>
			callJson<RecordDetail>(`/api/records/${recordId}/quality`, { method: 'PUT', json: { flag }, as: setup.owner.as });
		expect((await put(low.id, 'ok')).status).toBe(200);
		expect((await put(good, 'low_quality')).status).toBe(200);
		const created = await createReport(setup.owner, setup.project.id);
		expect(created.body).toMatchObject({ recordIds: [low.id], excludedLowQuality: 1 });
	});

	it('explains when every record is low quality, queues nothing, and takes chosen records as chosen', async () => {
		const setup = await setUp();
		const low = await uploadText(setup.owner, setup.project.id, 'no-answers.txt', NON_ANSWERS.join('\n'));
		const refused = await createReport(setup.owner, setup.project.id);
		expect(refused.status).toBe(409);
		expect(refused.body.error!.message).toContain('low quality');
		const listed = await callJson<{ reports: unknown[] }>(`/api/projects/${setup.project.id}/reports`, { as: setup.owner.as });
		expect(listed.body.reports).toEqual([]);
		const chosen = await createReport(setup.owner, setup.project.id, { recordIds: [low.id] });
		expect(chosen.status).toBe(202);
		expect(chosen.body).toMatchObject({ recordIds: [low.id], excludedLowQuality: 0 });
		expect((await createReport(setup.owner, setup.project.id, { includeLowQuality: 'yes' })).status).toBe(400);
	});

	it('auto-reports a completed interview, but not a low-quality one', async () => {
		const setup = await setUp({ kind: 'single', count: 2 });
		const settings = await callJson(`/api/projects/${setup.project.id}/report-settings`, {
			method: 'PATCH',
			json: { autoReport: true },
			as: setup.owner.as
		});
		expect(settings.status).toBe(200);
		const good = await completeInterview({ ...setup, links: [setup.links[0]!] }, ANSWERS);
		const low = await completeInterview({ ...setup, links: [setup.links[1]!] }, ["I don't know.", 'No idea.', 'Pass.']);
		for (const recordId of [good, low]) {
			const { interviewId } = (await callJson<RecordDetail>(`/api/records/${recordId}`, { as: setup.owner.as })).body;
			await runJobs([
				{ type: 'interview.completed', workspaceId: setup.owner.me.workspace.id, projectId: setup.project.id, interviewId: interviewId! }
			]);
		}
		const reports = await callJson<{ reports: ReportSummary[] }>(`/api/projects/${setup.project.id}/reports`, { as: setup.owner.as });
		expect(reports.body.reports.map((report) => report.recordIds)).toEqual([[good]]);
	});
});
