/** Shareable links: creation with their reservation, row actions, expiry, the token lookup and what a join may do. */
export { REFUSALS, linkState, publicLink, resolveLinkToken, singleLinkRefusal, type ResolvedLink } from './access';
export { cancelLink, deleteLink, regenerateLink, updateLink } from './actions';
export { createLinks, findLinkRow, linkReservationReference, listLinks, previewLinks } from './create';
export { expireDueLinks } from './lifecycle';
export { isMultiUse, toLink } from './view';
export { listProjectLinks, recordsByLink } from './project-links';
export { embedAncestors } from './embed';
