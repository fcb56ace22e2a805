import { z } from 'zod';

/** A project's personal-data settings (`/api/projects/:projectId/privacy`). */
export const ProjectPrivacy = z.object({
	/** Emails, phone numbers, cards, IBANs, addresses, personal URLs and names become typed placeholders in transcripts. */
	redactPersonalData: z.boolean(),
	/** The unredacted transcript is kept beside the redacted one, sealed; only owners and admins read or export it. */
	keepOriginal: z.boolean(),
	/** Whether the caller may change `keepOriginal` and read originals (owners and admins). */
	canManageOriginals: z.boolean()
});
export type ProjectPrivacy = z.infer<typeof ProjectPrivacy>;

export const UpdateProjectPrivacy = z
	.object({ redactPersonalData: z.boolean().optional(), keepOriginal: z.boolean().optional() })
	.refine((patch) => Object.keys(patch).length > 0, { message: 'Send redactPersonalData, keepOriginal or both.' });

/** Which passes ran over a record's transcript, and whether its original was kept (and the caller may read it). */
export const RecordRedaction = z.object({
	passes: z.array(z.enum(['respondent_email', 'patterns', 'names'])),
	originalKept: z.boolean()
});
export type RecordRedaction = z.infer<typeof RecordRedaction>;
