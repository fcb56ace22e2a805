/** The protocol constants the respondent page needs at runtime, from the zod-free contract module. */
export { CLOSE_CODES, MAX_TEXT_ANSWER_CHARS, PROTOCOL_VERSION, SAMPLE_RATE } from '$contracts/protocol-constants';
