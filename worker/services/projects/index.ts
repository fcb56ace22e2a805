/** Projects: the research context (Research Goals and Interview Guide), soft delete and the purge of their files. */
export {
	assertContextComplete,
	createProject,
	deleteProject,
	findProjectRow,
	getProject,
	listProjects,
	parsePastedGuide,
	updateProject
} from './projects';
export { findUnpurgedProjects, purgeProjectFiles } from './purge';
