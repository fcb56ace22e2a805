/** Screeners and quotas: the questions a link asks before consent, who they turn away, and the caps per segment. */
export { anyQuotaFull, linkScreener, screenJoin, type ScreenedJoin } from './admission';
export { SCREENER_REFUSALS } from './evaluate';
export { countTowardsQuotasSql, quotasOpenSql } from './fill';
export { listQuotas, saveQuotas } from './quotas';
export { getScreener, publicScreener, saveScreener } from './questions';
export { answerText, recordedAnswers } from './answers';
