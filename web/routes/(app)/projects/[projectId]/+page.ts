import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

// A project opens on its Context section.
export const load: PageLoad = ({ params }) => {
	redirect(307, `/projects/${params.projectId}/context`);
};
