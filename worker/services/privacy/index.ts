/** Privacy: personal data out of transcripts (patterns, the respondent's address, names), and the sealed originals. */
export { redactPatterns } from './patterns';
export { getProjectPrivacy, projectPrivacy, updateProjectPrivacy } from './settings';
export {
	DEFAULT_PRIVACY,
	protectTranscript,
	readOriginal,
	redactLine,
	redactUnprotected,
	type PrivacySettings,
	type Redaction
} from './transcript';
