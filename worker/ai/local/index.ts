/** The offline interviewer: follows the guide in order, with energy-based voice activity detection. */
export { createLocalSession } from './session';
