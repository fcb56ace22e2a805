import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { ReportSummary } from '../../worker/contracts/reports';
import { call, callJson, signUp } from './helpers/api';
import { createProject } from './helpers/workspace';
import { completedRecord, settleReport, upload } from './records-fixtures';

async function snapshot(projectId: string) {
	const records = await env.DB.prepare('select id, notes, tags, deleted_at from record where project_id = ? order by id')
		.bind(projectId)
		.all();
	const reports = await env.DB.prepare('select id, status, attempts from report where project_id = ? order by id').bind(projectId).all();
	const settings = await env.DB.prepare('select auto_report from project_report_settings where project_id = ?').bind(projectId).all();
	const objects = (await env.FILES.list({ prefix: 'ws/' })).objects
		.filter((object) => object.key.includes(projectId))
		.map((object) => object.key)
		.sort();
	return { records: records.results, reports: reports.results, settings: settings.results, objects };
}

describe('tenant isolation of records and reports', () => {
	it("another workspace's record, report and project ids are 404 on every route, and nothing changes", async () => {
		const { owner, project, recordId } = await completedRecord();
		const created = await callJson<ReportSummary>(`/api/records/${recordId}/reports`, { method: 'POST', as: owner.as });
		const reportId = created.body.id;
		await settleReport(owner, reportId);
		const failedReport = await env.DB.prepare("update report set status = 'failed' where id = ? returning id").bind(reportId).first();
		expect(failedReport).not.toBeNull();
		const before = await snapshot(project.id);

		const stranger = await signUp('stranger');
		const attempts: [string, string, unknown?][] = [
			['GET', `/api/projects/${project.id}/records`],
			['GET', `/api/projects/${project.id}/records/export?format=csv`],
			['GET', `/api/projects/${project.id}/records/export?format=zip`],
			['GET', `/api/records/${recordId}`],
			['PATCH', `/api/records/${recordId}`, { notes: 'mine now', tags: ['x'] }],
			['DELETE', `/api/records/${recordId}`],
			['GET', `/api/records/${recordId}/transcript?format=json`],
			['GET', `/api/records/${recordId}/transcript?format=vtt`],
			['GET', `/api/records/${recordId}/audio`],
			['POST', `/api/records/${recordId}/reports`],
			['POST', `/api/projects/${project.id}/reports`, {}],
			['GET', `/api/projects/${project.id}/reports`],
			['GET', `/api/reports/${reportId}`],
			['GET', `/api/reports/${reportId}?format=md`],
			['POST', `/api/reports/${reportId}/retry`],
			['DELETE', `/api/reports/${reportId}`],
			['GET', `/api/projects/${project.id}/report-settings`],
			['PATCH', `/api/projects/${project.id}/report-settings`, { autoReport: true }]
		];
		for (const [method, path, json] of attempts) {
			const response = await callJson<{ error: { code: string } }>(path, { method, json, as: stranger.as });
			expect({ method, path, status: response.status, code: response.body?.error?.code }).toEqual({
				method,
				path,
				status: 404,
				code: 'not_found'
			});
		}
		const uploadResponse = await upload(stranger, project.id, 'x.txt', 'Respondent: hello');
		expect(uploadResponse.status).toBe(404);

		const own = await createProject(stranger);
		const mixed = await callJson(`/api/projects/${own.id}/reports`, { method: 'POST', json: { recordIds: [recordId] }, as: stranger.as });
		expect(mixed.status).toBe(404);
		expect(await snapshot(project.id)).toEqual(before);
		expect((await call(`/api/records/${recordId}`, { as: owner.as })).status).toBe(200);
	});
});
