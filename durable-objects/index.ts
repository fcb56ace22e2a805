/**
 * The Interview Durable Object, what the API edge needs to hand it a socket, and its storage
 * (a restarted object reads the same tables; tests look at an object's state through it).
 */
export { Interview } from './interview';
export { InterviewStore, type SessionState } from './interview-store';
export { ADMISSION_HEADER } from './join';
export { setAttachment, type Admission } from './sockets';
