/** The typed placeholders that stand where personal data was: a reader still sees what kind of thing was said. */
export const PLACEHOLDER = {
	email: '[email]',
	phone: '[phone]',
	card: '[card]',
	iban: '[iban]',
	address: '[address]',
	url: '[url]',
	name: '[name]'
} as const;

export type PersonalDataKind = keyof typeof PLACEHOLDER;
