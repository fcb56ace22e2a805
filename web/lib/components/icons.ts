/** Path data for the small line icons used across the UI (24 × 24 grid, drawn with a 2 px stroke). */

const circle = (cx: number, cy: number, r: number) => `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

const rect = (x: number, y: number, width: number, height: number, radius: number) =>
	`M${x + radius} ${y}h${width - 2 * radius}a${radius} ${radius} 0 0 1 ${radius} ${radius}v${height - 2 * radius}a${radius} ${radius} 0 0 1 ${-radius} ${radius}h${-(width - 2 * radius)}a${radius} ${radius} 0 0 1 ${-radius} ${-radius}v${-(height - 2 * radius)}a${radius} ${radius} 0 0 1 ${radius} ${-radius}z`;

export const ICONS = {
	plus: 'M12 5v14M5 12h14',
	more: `${circle(5, 12, 1)}${circle(12, 12, 1)}${circle(19, 12, 1)}`,
	external: 'M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5',
	refresh: 'M20 11a8 8 0 0 0-14.5-4.5L4 8M4 4v4h4M4 13a8 8 0 0 0 14.5 4.5L20 16M20 20v-4h-4',
	download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
	ban: `${circle(12, 12, 8)}M6.4 6.4l11.2 11.2`,
	power: 'M12 3v9M7 6.3a7 7 0 1 0 10 0',
	search: `${circle(11, 11, 7)}M20 20l-3.6-3.6`,
	'chevron-down': 'M6 9l6 6 6-6',
	'chevron-right': 'M9 6l6 6-6 6',
	'arrow-up': 'M12 19V5M6 11l6-6 6 6',
	'arrow-down': 'M12 5v14M18 13l-6 6-6-6',
	'arrow-right': 'M5 12h14M13 6l6 6-6 6',
	'arrow-left': 'M19 12H5M11 6l-6 6 6 6',
	x: 'M18 6L6 18M6 6l12 12',
	check: 'M20 6L9 17l-5-5',
	trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6',
	pencil: 'M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4',
	sun: `${circle(12, 12, 4)}M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4`,
	moon: 'M20.5 14.5A8.5 8.5 0 1 1 9.5 3.5a7 7 0 0 0 11 11z',
	monitor: `${rect(2, 4, 20, 13, 2)}M8 21h8M12 17v4`,
	user: `${circle(12, 8, 4)}M4 21a8 8 0 0 1 16 0`,
	users: `${circle(9, 8, 4)}M2 21a7 7 0 0 1 14 0M16 4.1a4 4 0 0 1 0 7.8M19 21a7 7 0 0 0-3-5.8`,
	'log-out': 'M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9',
	settings: `M4 6h9M17 6h3${circle(15, 6, 2)}M4 12h3M11 12h9${circle(9, 12, 2)}M4 18h11M19 18h1${circle(17, 18, 2)}`,
	folder: 'M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z',
	coins: `${circle(9, 9, 6)}M15.6 9.4a6 6 0 1 1-6.2 6.2M9 6.5v5M7 9h4`,
	copy: `${rect(9, 9, 12, 12, 2)}M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1`,
	key: `${circle(7.5, 15.5, 4.5)}M10.7 12.3L20 3M16 7l3 3`,
	mail: `${rect(3, 5, 18, 14, 2)}M3 7l9 6 9-6`,
	link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
	alert: 'M12 3.5l9.5 17h-19zM12 10v4.5M12 17.5v.01',
	info: `${circle(12, 12, 9)}M12 11v6M12 7.5v.01`,
	'file-text': 'M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9zM14 3v6h6M8 13h8M8 17h5',
	mic: `${rect(9, 3, 6, 11, 3)}M5 11a7 7 0 0 0 14 0M12 18v3`,
	chart: 'M4 20V11M10 20V5M16 20v-7M21 20H3',
	clipboard: `${rect(8, 2, 8, 4, 1)}M16 4h2a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h2`,
	inbox: 'M3 13l3-8h12l3 8v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1zM3 13h5l1.5 2.5h5L16 13h5',
	building: `${rect(4, 3, 16, 18, 2)}M9 7h1M14 7h1M9 11h1M14 11h1M9 15h1M14 15h1`,
	lock: `${rect(4, 10, 16, 11, 2)}M8 10V7a4 4 0 0 1 8 0v3`,
	eye: `M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z${circle(12, 12, 3)}`
} as const;

export type IconName = keyof typeof ICONS;
