/**
 * The Interview Durable Object, what the API edge needs to hand it a socket (a respondent's or an
 * observer's), and its storage (a restarted object reads the same tables; tests look at an object's
 * state through it).
 */
export { Interview } from './interview';
export { InterviewStore, type SessionState } from './interview-store';
export { ADMISSION_HEADER } from './join';
export { OBSERVATION_HEADER, type Observation } from './observers';
export { type Admission } from './sockets';
