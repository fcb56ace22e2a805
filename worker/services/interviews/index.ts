/** Interviews in D1: admission of a join, the brief a provider gets, completion, follow-ups, the overdue sweep, and who is live now. */
export { REFUSE, admitMulti, admitSingle, interviewReservation, linkObjectName } from './admission';
export { loadInterviewSetup } from './brief';
export { completeInterview } from './completion';
export { checkCompletedInterview } from './followups';
export { checkHello, type Hello } from './hello';
export { findInterviewRecordId, findObservedInterview, listLiveInterviews, liveInterviewsByLink, type ObservedInterview } from './live';
export { finalizeOverdueInterviews, forgetOldIdempotencyKeys } from './sweeps';
export { requestJoin } from './join';
export { openTicket } from './tickets';
