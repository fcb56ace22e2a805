/**
 * The token ledger: append-only entries per workspace and a balance row moved in the same D1 batch
 * as each entry, so the sum of the entries is the balance by construction. Reservations are named
 * (`link:<id>`, `interview:<id>`); charges and releases never take more than a reservation holds.
 */
export { MAX_TOKENS, batchWithLedger } from './core';
export {
	batchWithReservation,
	grant,
	grantSignupTokens,
	insufficientTokens,
	purchase,
	reservationStatements,
	reserve,
	shortfallFor,
	signupGrantStatements
} from './credits';
export { csvField, csvRow, ledgerCsv } from './export';
export { interviewShare, linkReservation, signupTokens, tokensPerMinute, usageCharge } from './pricing';
export { auditBalance, getBalance, listEntries, toEntryView } from './read';
export {
	charge,
	refund,
	release,
	releaseManyStatements,
	releaseStatements,
	resizeStatements,
	settledFrom,
	settlementStatements
} from './settlement';
export { constraintHit, outstandingSql } from './sql';
