/** Response quality of records: signals, the flag and its reasons, overrides, and the filters reports and metrics use. */
export { findDuplicateRespondent, interviewPlan, qualityColumns, type QualityColumns } from './assess';
export { noteRespondentNetwork, respondentNetworkHash } from './network';
export { overrideByName, qualityHistory, setRecordQuality } from './override';
export { isLowQuality, notLowQuality, qualityCondition, recordQuality } from './view';
export { qualityFlagOf } from './flag';
export { detectLanguage } from './language';
export { isNonAnswer } from './non-answers';
export { computeQualitySignals } from './signals';
