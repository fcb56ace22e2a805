/** Accounts: sign-in (better-auth), workspaces and their members, invitations, API keys and account mail. */
export { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from './api-keys';
export { getAuth, signingSecret } from './auth/auth';
export { authSchemaOptions } from './auth/options';
export { weakPasswordReason } from './auth/password-policy';
export { acceptInvitation, createInvitation, listInvitations, previewInvitation, revokeInvitation } from './invitations';
export { createMailer } from './mail/mailer';
export { changeMemberRole, listMembers, removeMember } from './members';
export { createWorkspace, getWorkspace, listWorkspaces, renameWorkspace, resolveSessionWorkspace, switchWorkspace } from './workspaces';
