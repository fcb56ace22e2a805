import { browser } from '$app/environment';

export type ThemeChoice = 'light' | 'dark' | 'system';

export const THEME_CHOICES: readonly { value: ThemeChoice; label: string }[] = [
	{ value: 'light', label: 'Light' },
	{ value: 'dark', label: 'Dark' },
	{ value: 'system', label: 'System' }
];

const STORAGE_KEY = 'parley.theme';

function isThemeChoice(value: unknown): value is ThemeChoice {
	return value === 'light' || value === 'dark' || value === 'system';
}

function readStoredChoice(): ThemeChoice {
	if (!browser) return 'system';
	try {
		const stored = localStorage.getItem(STORAGE_KEY);
		return isThemeChoice(stored) ? stored : 'system';
	} catch {
		return 'system';
	}
}

function applyChoice(choice: ThemeChoice) {
	if (browser) document.documentElement.dataset.theme = choice;
}

/** The colour scheme the user picked; `system` follows prefers-color-scheme through CSS. */
class ThemePreference {
	choice = $state<ThemeChoice>(readStoredChoice());

	constructor() {
		applyChoice(this.choice);
	}

	set(choice: ThemeChoice) {
		this.choice = choice;
		applyChoice(choice);
		try {
			localStorage.setItem(STORAGE_KEY, choice);
		} catch {
			// Storage can be unavailable (private mode); the choice still applies to this page.
		}
	}
}

export const theme = new ThemePreference();
