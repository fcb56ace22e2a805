import { eq } from 'drizzle-orm';
import type { InterviewBrief } from '../../ai/provider';
import { InterviewGuide } from '../../contracts/guide';
import type { Database } from '../../db/client';
import { interviewer, link, project } from '../../db/schema';
import type { PrivacySettings } from '../privacy';
import type { InterviewRow } from './admission';

export type InterviewSetup = {
	brief: InterviewBrief;
	link: { id: string; kind: 'single' | 'public' | 'private'; name: string; maxUses: number };
	/** The project's personal-data settings as they were when the interview started. */
	privacy: PrivacySettings;
};

/** The research context as it is when the interview starts: later edits affect later interviews only. */
export async function loadInterviewSetup(db: Database, row: InterviewRow): Promise<InterviewSetup> {
	const [linkRow, owner, study] = await Promise.all([
		db.query.link.findFirst({ where: eq(link.id, row.linkId) }),
		db.query.interviewer.findFirst({ where: eq(interviewer.id, row.interviewerId) }),
		db.query.project.findFirst({ where: eq(project.id, row.projectId) })
	]);
	if (!linkRow || !owner || !study) throw new Error(`interview ${row.id} lost its link, interviewer or project`);
	const guide = InterviewGuide.safeParse(study.interviewGuide);
	const brief: InterviewBrief = {
		researchGoals: study.researchGoals,
		guide: guide.success ? guide.data : { sections: [] },
		linkContext: linkRow.context,
		interviewerInstructions: owner.instructions,
		language: linkRow.language ?? owner.language,
		voice: linkRow.voice ?? owner.voice,
		durationMinutes: linkRow.durationMinutes,
		topics: linkRow.topics ?? owner.topics,
		patience: owner.patience
	};
	return {
		brief,
		link: { id: linkRow.id, kind: linkRow.kind, name: linkRow.name, maxUses: linkRow.maxUses },
		privacy: { redact: study.redactPersonalData, keepOriginal: study.keepOriginal }
	};
}
