/** The commands `genmeta` knows. */
export const commandNames = ['get', 'cost', 'report', 'reconcile', 'explain'] as const;

/** One of {@link commandNames}. */
export type CommandName = (typeof commandNames)[number];
