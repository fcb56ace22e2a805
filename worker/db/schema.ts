/** The D1 schema: one file per domain under ./tables, and better-auth's generated tables. */
export * from './auth-schema';
export * from './tables/accounts';
export * from './tables/interviews';
export * from './tables/ledger';
export * from './tables/links';
export * from './tables/platform';
export * from './tables/projects';
export * from './tables/quotas';
export * from './tables/records';
export * from './tables/webhooks';
