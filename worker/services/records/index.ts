/** Records: completed interviews and uploads, their transcripts, audio and exports. */
export { audioResponse } from './audio';
export { exportCsv, exportZip } from './export';
export { requireOriginalTranscript } from './originals';
export { deleteRecord, findRecordRow, getRecord, listRecordPage, readTranscript, updateRecord } from './records';
export { clockTime, renderMarkdown, renderText, renderVtt, speakerOf, timedTurns, type TimedTurn } from './transcripts/formats';
export { parseTranscriptText } from './transcripts/parse';
export { transcribeUpload } from './uploads/transcribe';
export { UPLOAD_MAX_BODY_BYTES, uploadRecord } from './uploads/uploads';
