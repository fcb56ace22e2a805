import { config } from 'zod';

// The shared contracts bring zod into the browser. Its fast path probes `new Function`,
// which the page's CSP (no 'unsafe-eval') reports as a violation; the jitless path needs no eval.
config({ jitless: true });
