// The dashboard and the respondent page render in the browser and talk to /api.
export const ssr = false;
export const prerender = false;
