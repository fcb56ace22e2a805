/** Records: completed interviews and uploads, their transcripts, audio and exports. */
export { audioResponse } from './audio';
export { exportCsv, exportZip } from './export';
export { requireOriginalTranscript } from './originals';
export { deleteRecord, findRecordRow, getRecord, listRecordPage, overrideRecordQuality, readTranscript, updateRecord } from './records';
export {
	findDuplicateRespondent,
	interviewPlan,
	isLowQuality,
	noteRespondentNetwork,
	notLowQuality,
	qualityColumns,
	type QualityColumns,
	respondentNetworkHash
} from './quality';
export { clockTime, renderMarkdown, renderText, renderVtt, speakerOf, timedTurns, type TimedTurn } from './transcripts/formats';
export { parseTranscriptText } from './transcripts/parse';
export { transcribeUpload } from './uploads/transcribe';
export { UPLOAD_MAX_BODY_BYTES, uploadRecord } from './uploads/uploads';
