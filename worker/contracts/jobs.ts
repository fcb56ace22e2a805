import { z } from 'zod';

/** Messages on the JOBS queue. Producers and the consumer share this one definition. */
export const Job = z.discriminatedUnion('type', [
	z.object({ type: z.literal('project.purge'), workspaceId: z.string(), projectId: z.string() }),
	z.object({ type: z.literal('interview.completed'), workspaceId: z.string(), projectId: z.string(), interviewId: z.string() }),
	z.object({ type: z.literal('report.generate'), workspaceId: z.string(), reportId: z.string() }),
	z.object({ type: z.literal('record.transcribe'), workspaceId: z.string(), recordId: z.string() }),
	z.object({ type: z.literal('webhook.deliver'), workspaceId: z.string(), deliveryId: z.string() })
]);
export type Job = z.infer<typeof Job>;
