/** R2 key layout: every object lives under its workspace and project, so purges are prefix deletes. */
export const projectPrefix = (workspaceId: string, projectId: string) => `ws/${workspaceId}/projects/${projectId}/`;
