import type { OpenAPIHono } from '@hono/zod-openapi';

type SecurityRequirement = Record<string, string[]>;

/** The two ways to call the API; every operation needs one of them unless it says `security: []`. */
const SECURITY_SCHEMES = {
	session: {
		type: 'apiKey',
		in: 'cookie',
		name: 'better-auth.session_token',
		description:
			"The dashboard's session cookie, set by `POST /api/auth/sign-in/email` (named `__Secure-better-auth.session_token` over HTTPS). Requests that change something also need an `Origin` header of this site."
	},
	apiKey: {
		type: 'http',
		scheme: 'bearer',
		bearerFormat: 'pk_…',
		description: 'A workspace API key from Settings → API keys: `Authorization: Bearer pk_…`.'
	}
} as const;

/** Marks an operation anyone may call: it overrides the document-wide security requirement. */
export const PUBLIC = { security: [] as SecurityRequirement[] };

/** Declares the security schemes on the app's registry, once, before the document is built. */
export function registerSecuritySchemes(app: Pick<OpenAPIHono, 'openAPIRegistry'>) {
	for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) app.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
}

/** The top of the OpenAPI document; `baseUrl` is the site's PUBLIC_BASE_URL, so generated clients call the right host. */
export const openApiDocumentConfig = (baseUrl: string) => ({
	openapi: '3.1.0',
	info: {
		title: 'Parley API',
		version: '1.0.0',
		description:
			'AI-moderated voice interviews from shareable links. Lists page by cursor: `limit` (1–200, default 50), then `cursor` = the previous `nextCursor` until it is null.',
		license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' }
	},
	servers: [{ url: baseUrl, description: 'This Parley site' }],
	security: [{ session: [] }, { apiKey: [] }] as SecurityRequirement[]
});
