import manifest from '../../.svelte-kit/respondent/manifest.json';

/**
 * The respondent page's HTML shell, served by the Worker at /interview/<token> and /embed/<token>
 * instead of SvelteKit: a respondent downloads the page's own small entry (vite.respondent.config.ts)
 * and none of the router or the dashboard. The page itself renders in the browser, like every page.
 */
const PAGE_PATH = /^\/(interview|embed)\/[^/]+$/;

export function isRespondentPage(pathname: string): boolean {
	return PAGE_PATH.test(pathname);
}

type Locale = 'en' | 'ru';

/** What the shell says before the page's script runs, in the language the page will most likely speak. */
const SHELL_TEXT: Record<Locale, { title: string; noscript: string }> = {
	en: { title: 'Interview', noscript: 'This interview needs JavaScript. Turn it on in your browser and reload the page.' },
	ru: { title: 'Интервью', noscript: 'Для интервью нужен JavaScript. Включите его в браузере и обновите страницу.' }
};

/** The browser's first language, as the page picks it for a link set to follow the browser. */
function browserLocale(request: Request): Locale {
	const first = request.headers.get('Accept-Language')?.split(',')[0]?.trim().toLowerCase() ?? '';
	return first.startsWith('ru') ? 'ru' : 'en';
}

/**
 * Pins the colour scheme the respondent chose on this site before the first paint, so a dark choice
 * never flashes light. Inline, allowed by its hash: an extra file would hold up the first paint.
 */
const THEME_SCRIPT =
	"try{var t=localStorage.getItem('parley.theme');if(t==='light'||t==='dark'||t==='system')document.documentElement.dataset.theme=t}catch(e){}";

let themeScriptHash: Promise<string> | null = null;

async function sha256Source(source: string): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(source));
	return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

function policy(scriptHash: string): string {
	return [
		"default-src 'self'",
		`script-src 'self' ${scriptHash}`,
		"style-src 'self'",
		"img-src 'self' data: blob:",
		"media-src 'self' blob:",
		"font-src 'self'",
		"connect-src 'self'",
		"worker-src 'self' blob:",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'"
	].join('; ');
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

function shell(locale: Locale): string {
	const text = SHELL_TEXT[locale];
	const styles = manifest.styles.map((href) => `<link rel="stylesheet" href="${escapeAttribute(href)}" />`);
	// The strings the page will most likely speak come with the page instead of after its script runs.
	const preloads = [...manifest.preload, manifest.messages[locale]].map(
		(href) => `<link rel="modulepreload" href="${escapeAttribute(href)}" />`
	);
	return `<!doctype html>
<html lang="${locale}">
	<head>
		<meta charset="utf-8" />
		<meta name="viewport" content="width=device-width, initial-scale=1" />
		<meta name="color-scheme" content="light dark" />
		<meta name="robots" content="noindex, nofollow" />
		<link rel="icon" href="/favicon.svg" type="image/svg+xml" />
		<title>${text.title}</title>
		<script>${THEME_SCRIPT}</script>
		${[...styles, ...preloads].join('\n\t\t')}
		<script type="module" src="${escapeAttribute(manifest.script)}"></script>
	</head>
	<body>
		<div class="app-root" id="respondent"></div>
		<noscript><p>${text.noscript}</p></noscript>
	</body>
</html>
`;
}

/** The shell for a GET or HEAD; it names this build's hashed files, so it is never cached. */
export async function servedRespondentPage(request: Request): Promise<Response> {
	if (request.method !== 'GET' && request.method !== 'HEAD') {
		return Response.json(
			{ error: { code: 'method_not_allowed', message: 'The interview page only answers GET and HEAD.' } },
			{ status: 405, headers: { Allow: 'GET, HEAD' } }
		);
	}
	themeScriptHash ??= sha256Source(THEME_SCRIPT);
	const headers = new Headers({
		'Content-Type': 'text/html; charset=utf-8',
		'Cache-Control': 'no-store',
		'Content-Security-Policy': policy(await themeScriptHash),
		'X-Content-Type-Options': 'nosniff',
		'Referrer-Policy': 'strict-origin-when-cross-origin',
		'Permissions-Policy': 'microphone=(self), camera=(), geolocation=(), payment=()',
		'Cross-Origin-Opener-Policy': 'same-origin',
		'X-Frame-Options': 'DENY'
	});
	if (new URL(request.url).protocol === 'https:') headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	return new Response(request.method === 'HEAD' ? null : shell(browserLocale(request)), { headers });
}
