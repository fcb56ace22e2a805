/** Interviewers: their settings, checked against what the workspace's AI provider can do, and the provider choice itself. */
export {
	assertSupported,
	createInterviewer,
	findInterviewerRow,
	listInterviewers,
	toInterviewer,
	updateInterviewer,
	type InterviewerRow
} from './interviewers';
export { getAiSettings, setAiProvider, workspaceProvider } from './provider-choice';
