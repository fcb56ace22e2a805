/** What FieldFrame shows around a control: its label, hint, error and character counter. */
export type FrameProps = {
	label: string;
	labelHidden?: boolean;
	optional?: boolean;
	hint?: string;
	error?: string | null;
	/** Shows a character counter against this limit. */
	limit?: number;
};

/** What a text input and a text area share: their frame, and the text the counter counts. */
export type TextControlProps = FrameProps & { value?: string };

/** Splits a field's props into what its FieldFrame shows and the attributes of the control itself. */
export function splitFrameProps<Props extends FrameProps>({ label, labelHidden, optional, hint, error, limit, ...control }: Props) {
	return { frame: { label, labelHidden, optional, hint, error, limit }, control };
}

/** The ARIA attributes that mark a control invalid and link it to the hint, error and counter FieldFrame renders. */
export function controlAria(id: string, { hint, error, limit }: Pick<FrameProps, 'hint' | 'error' | 'limit'>) {
	const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null, limit !== undefined ? `${id}-count` : null].filter(
		Boolean
	);
	return {
		'aria-invalid': error ? ('true' as const) : undefined,
		'aria-describedby': describedBy.length ? describedBy.join(' ') : undefined
	};
}
