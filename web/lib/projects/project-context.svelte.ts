import { createContext } from 'svelte';
import type { Project } from '$contracts/api';

/** The project open on the project page, shared by its header and its sections. */
export class OpenProject {
	#current = $state<Project | null>(null);
	/** The Create Links dialog, opened from the header or the Links section. */
	createLinksOpen = $state(false);
	/** The interviewer the Links section shows, preselected in the Create Links dialog. */
	interviewerId = $state<string | null>(null);
	/** Bumped whenever links are created, so the Links section reloads. */
	linksVersion = $state(0);

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

	openCreateLinks() {
		this.createLinksOpen = true;
	}

	linksCreated() {
		this.linksVersion++;
	}
}

export const [getOpenProject, setOpenProject] = createContext<OpenProject>();
