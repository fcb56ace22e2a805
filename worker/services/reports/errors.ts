/** A report could not be generated; the message is shown on the failed report, next to Retry. */
export class ReportGenerationError extends Error {}
