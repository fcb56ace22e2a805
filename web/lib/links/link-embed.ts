import type { Link } from '$contracts/links';

/** The Allowed websites box: one origin a line; blank lines and repeats are dropped, the server checks the rest. */
export function originsOf(text: string): string[] {
	return [...new Set(text.split('\n').map((line) => line.trim()))].filter((line) => line !== '');
}

/** The tag a researcher pastes into their page: a button that opens the interview, or the interview inline. */
export function embedSnippet(link: Link, mode: 'button' | 'inline'): string {
	const parley = new URL(link.url).origin;
	const inline = mode === 'inline' ? ' data-mode="inline"' : '';
	return `<script src="${parley}/embed.js" data-link="${link.token}"${inline} async></script>`;
}
