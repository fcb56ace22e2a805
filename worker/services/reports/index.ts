/** Reports: single and project reports, queued, written by the provider's LLM or the local extractive writer. */
export { runReportJob } from './job';
export { renderReportMarkdown } from './markdown';
export {
	createProjectReport,
	createRecordReport,
	deleteReport,
	getReport,
	getReportSettings,
	listReports,
	queueAutoReport,
	retryReport,
	updateReportSettings
} from './reports';
