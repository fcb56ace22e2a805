import type { z } from 'zod';
import type { CreatedApiKey as CreatedApiKeySchema, CreatedInvitation as CreatedInvitationSchema, InvitationPreview as InvitationPreviewSchema } from '$contracts/api';

/** Response types the contracts define as schemas only. */
export type InvitationPreview = z.infer<typeof InvitationPreviewSchema>;
export type CreatedInvitation = z.infer<typeof CreatedInvitationSchema>;
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;
