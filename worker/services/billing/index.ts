/** Buying tokens: the packages, Stripe Checkout and its webhook, and the labelled dev top-up. */
export { devTopUp, devTopUpAvailable, packageList } from './packages';
export { applyStripeEvent, createCheckoutSession, verifyWebhook } from './stripe';
