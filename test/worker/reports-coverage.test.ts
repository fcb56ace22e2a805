import { describe, expect, it } from 'vitest';
import type { RecordDetail } from '../../worker/contracts/records';
import type { ProjectReportContent, ReportSummary, SingleReportContent } from '../../worker/contracts/reports';
import { callJson } from './helpers/api';
import { setUp } from './helpers/interview';
import { ANSWERS, completeInterview, settleReport, uploadText } from './records-fixtures';

describe('reports organised by the guide’s coverage', () => {
	it('a single report gives each guide question the turns the interview recorded as its answers, with its status', async () => {
		const setup = await setUp();
		// Two answers, then the respondent leaves: q3 was asked and never answered.
		const recordId = await completeInterview(setup, ANSWERS.slice(0, 2));
		const record = (await callJson<RecordDetail>(`/api/records/${recordId}`, { as: setup.owner.as })).body;
		const created = await callJson<ReportSummary>(`/api/records/${recordId}/reports`, { method: 'POST', as: setup.owner.as });
		const content = (await settleReport(setup.owner, created.body.id)).document!.content as SingleReportContent;

		expect(content.answers.map((group) => [group.questionId, group.status])).toEqual([
			['q1', 'answered'],
			['q2', 'answered'],
			['q3', 'asked']
		]);
		for (const group of content.answers) {
			const coverage = record.coverage.find((entry) => entry.questionId === group.questionId)!;
			expect(group.answers.map((answer) => answer.turnId)).toEqual(coverage.answeredTurnIds);
		}
		expect(content.answers[0]!.answers.map((answer) => answer.text)).toEqual([ANSWERS[0]]);
		expect(content.answers[2]!.answers).toEqual([]);
	});

	it('a project report counts, per guide question, the interviews that answered or skipped it, and keeps answers from records without coverage', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 3 });
		const full = await completeInterview(setup);
		const partial = await completeInterview(setup, ANSWERS.slice(0, 1));
		const uploaded = await uploadText(
			setup.owner,
			setup.project.id,
			'call.txt',
			'Interviewer: What is your role?\nRespondent: I am the office manager of a dental practice.'
		);
		const created = await callJson<ReportSummary>(`/api/projects/${setup.project.id}/reports`, {
			method: 'POST',
			json: { recordIds: [full, partial, uploaded.id] },
			as: setup.owner.as
		});
		expect(created.status).toBe(202);
		const content = (await settleReport(setup.owner, created.body.id)).document!.content as ProjectReportContent;

		expect(
			content.coverage!.map(({ questionId, interviews, answered, skipped }) => ({ questionId, interviews, answered, skipped }))
		).toEqual([
			{ questionId: 'q1', interviews: 2, answered: 2, skipped: 0 },
			{ questionId: 'q2', interviews: 2, answered: 1, skipped: 0 },
			{ questionId: 'q3', interviews: 2, answered: 1, skipped: 0 }
		]);
		expect(content.coverage![0]!.medianSeconds).not.toBeNull();
		const roles = content.answers!.find((group) => group.questionId === 'q1')!;
		expect(new Set(roles.answers.map((answer) => answer.recordId))).toEqual(new Set([full, partial, uploaded.id]));
		expect(roles.answers.find((answer) => answer.recordId === uploaded.id)!.text).toContain('office manager');
	});
});
