/** R2 key layout: every object lives under its workspace and project, so purges are prefix deletes. */
export const projectPrefix = (workspaceId: string, projectId: string) => `ws/${workspaceId}/projects/${projectId}/`;

export const interviewPrefix = (workspaceId: string, projectId: string, interviewId: string) =>
	`${projectPrefix(workspaceId, projectId)}interviews/${interviewId}/`;

export const transcriptKey = (workspaceId: string, projectId: string, interviewId: string) =>
	`${interviewPrefix(workspaceId, projectId, interviewId)}transcript.json`;

export const audioKey = (workspaceId: string, projectId: string, interviewId: string, track: 'respondent' | 'interviewer') =>
	`${interviewPrefix(workspaceId, projectId, interviewId)}${track}.wav`;
