/** The Interview Durable Object and what the API edge needs to hand it a socket. */
export { Interview } from './interview';
export { ADMISSION_HEADER } from './join';
export type { Admission } from './sockets';
