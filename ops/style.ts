/**
 * How the ops CLI colours what people read, shared by the plan and the cost views (they
 * choose the colours; `PLAIN` when the output is not a terminal).
 */

/** Colours for a terminal; identity functions when output is not a terminal. */
export interface Style {
  /** Headings. */
  readonly bold: (text: string) => string;
  /** Secondary text (types, counts). */
  readonly dim: (text: string) => string;
  /** Warnings and protections. */
  readonly yellow: (text: string) => string;
  /** Data loss. */
  readonly red: (text: string) => string;
}

/** No colour at all. */
export const PLAIN: Style = { bold: (t) => t, dim: (t) => t, yellow: (t) => t, red: (t) => t };
