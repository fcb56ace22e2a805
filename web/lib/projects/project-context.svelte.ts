import { createContext } from 'svelte';
import type { Project } from '$contracts/api';

/** The project open on the project page, shared by its header and its sections. */
export class OpenProject {
	#current = $state<Project | null>(null);

	get project(): Project {
		if (!this.#current) throw new Error('The project has not loaded yet.');
		return this.#current;
	}

	get loaded(): boolean {
		return this.#current !== null;
	}

	replace(project: Project | null) {
		this.#current = project;
	}
}

export const [getOpenProject, setOpenProject] = createContext<OpenProject>();
