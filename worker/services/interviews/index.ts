/** Interviews in D1: admission of a join, the brief a provider gets, completion, follow-ups and the overdue sweep, and what an observer may watch. */
export { REFUSE, admitMulti, admitSingle, interviewObjectName, interviewReservation, linkObjectName } from './admission';
export { loadInterviewSetup } from './brief';
export { completeInterview } from './completion';
export { checkCompletedInterview } from './followups';
export { checkHello, type Hello } from './hello';
export { findInterviewRecordId, findObservedInterview, type ObservedInterview } from './live';
export { finalizeOverdueInterviews, forgetOldIdempotencyKeys } from './sweeps';
